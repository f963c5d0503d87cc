import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { consoleLogger, warningsToLog } from './console-log';

describe('#console log', () => {
  it('writes the log and the process warnings to a file under the data directory, not to the terminal', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'steward-console-'));
    const { logger, file } = consoleLogger(dir, 'info');
    expect(file).toBe(path.join(dir, 'logs', 'console.log'));
    const listeners = process.listeners('warning');
    const printed: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => (printed.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      warningsToLog(logger);
      logger.info('opened the database');
      // What process.emitWarning emits (jest's sandboxed `process` does not relay the real one's events).
      const warning = Object.assign(new Error('the `new` option for `findOneAndUpdate()` is deprecated'), { name: 'DeprecationWarning' });
      process.emit('warning', warning);
    } finally {
      process.stderr.write = write;
      process.removeAllListeners('warning');
      for (const l of listeners) process.on('warning', l);
    }
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { msg: string; warning?: { name: string; message: string } });
    expect(lines.map((l) => l.msg)).toEqual(['opened the database', 'process warning']);
    expect(lines[1]!.warning).toMatchObject({ name: 'DeprecationWarning', message: expect.stringContaining('findOneAndUpdate') });
    expect(printed).toEqual([]);
  });
});
