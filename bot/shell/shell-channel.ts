import readline from 'node:readline';
import type { Channel } from '../channel';
import type { ChatEngine } from '../chat-engine';
import { replyText, type Reply } from '../reply';

export interface ShellOptions {
  engine: ChatEngine;
  /** The registry userid the operator speaks as. */
  as: string;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Interactive: prompt and greeting. Piped: one command per line, answers only. */
  interactive: boolean;
  greeting?: string;
}

/**
 * A terminal chat with the bot, like Hubot's shell adapter: for local use, demos and scripts
 * (`printf 'sites\n' | npm run console -- --as demo.siteadmin`). Lines are handled one at a time, in order.
 */
export function createShellChannel(opts: ShellOptions): Channel & { done: Promise<void> } {
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let rl: readline.Interface | undefined;
  const write = (reply: Reply) => opts.output.write(replyText(reply) + '\n');
  const status = opts.interactive ? statusLine(opts.output) : undefined;

  return {
    name: 'shell',
    done,
    async start() {
      rl = readline.createInterface({ input: opts.input, output: opts.interactive ? opts.output : undefined, terminal: opts.interactive });
      if (opts.interactive) {
        if (opts.greeting) opts.output.write(opts.greeting + '\n');
        rl.setPrompt(`${opts.as}> `);
        rl.prompt();
      }
      // Sequential: a script's second command sees what the first one did.
      let chain = Promise.resolve();
      rl.on('line', (line) => {
        chain = chain.then(async () => {
          if (!line.trim()) return;
          if (opts.interactive && /^(exit|quit|退出)$/i.test(line.trim())) {
            rl?.close();
            return;
          }
          // A long command (巡检) shows how far it is on one status line, cleared before its answer.
          const reply = await opts.engine.handle({ userid: opts.as, text: line, source: 'shell', ...(status ? { progress: status.show } : {}) });
          status?.clear();
          write(reply);
          if (opts.interactive) rl?.prompt();
        });
      });
      rl.on('close', () => void chain.then(finish));
    },
    async stop() {
      rl?.close();
      await done;
    },
    async send(_to, reply) {
      write(reply);
    },
  };
}

/** One line of progress rewritten in place (`\r`), at most a few times a second, and cleared before the answer. */
function statusLine(output: NodeJS.WritableStream, everyMs = 250): { show(line: string): void; clear(): void } {
  let shown = false;
  let last = 0;
  return {
    show(line) {
      const now = Date.now();
      if (shown && now - last < everyMs) return;
      last = now;
      shown = true;
      output.write(`\r\x1b[2K${line}`);
    },
    clear() {
      if (shown) output.write('\r\x1b[2K');
      shown = false;
    },
  };
}
