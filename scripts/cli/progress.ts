import cliProgress from 'cli-progress';

/**
 * Progress for long CLI work: a bar on a terminal, a line every 10% when output is piped (CI logs), nothing
 * for small jobs that finish at once.
 */
export function progressReporter(label: string, stream: NodeJS.WriteStream = process.stderr, minTotal = 200) {
  let bar: cliProgress.SingleBar | undefined;
  let lastDecile = -1;
  return {
    update(done: number, total: number) {
      if (total < minTotal) return;
      if (stream.isTTY) {
        if (!bar) {
          bar = new cliProgress.SingleBar({ stream, format: `${label} [{bar}] {percentage}% {value}/{total}`, hideCursor: true }, cliProgress.Presets.shades_classic);
          bar.start(total, 0);
        }
        bar.update(done);
      } else {
        const decile = Math.floor((done / total) * 10);
        if (decile !== lastDecile) {
          lastDecile = decile;
          stream.write(`${label}: ${done}/${total} (${Math.round((done / total) * 100)}%)\n`);
        }
      }
    },
    stop() {
      bar?.stop();
    },
  };
}
