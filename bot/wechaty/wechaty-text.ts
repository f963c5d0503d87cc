/** What a Wechaty message asks for, before we know who sent it. */
export type WechatyCommand =
  | { kind: 'command'; text: string }
  /** `绑定 <code>` / `bind <code>`: a contact redeeming a binding code. */
  | { kind: 'redeem'; code: string }
  /** `绑定本群 <unit>` / `bind room <unit>`: binds the room it is sent in. */
  | { kind: 'bind-room'; unit?: string };

const REDEEM = /^(?:绑定\s*[:：]?\s*|bind\s+)([A-Za-z0-9-]{6,12})$/i;
const BIND_ROOM = /^(?:绑定本群|bind\s+room)(?:\s*[:：]?\s*(\S+))?$/i;

/** WeChat separates a mention with U+2005; full-width and no-break spaces come from phones. */
export function normalizeWechatText(text: string): string {
  return text.replace(/[\u2005\u00a0\u3000]/g, ' ').trim();
}

/**
 * Decides whether a message is for the bot and what it asks. A direct message always is; in a room only when
 * it mentions the bot (`mentioned`, the text already stripped of mentions) or starts with a prefix. A bare
 * mention asks for help.
 */
export function classifyText(raw: string, opts: { inRoom: boolean; mentioned: boolean; prefixes: readonly string[] }): WechatyCommand | undefined {
  let text = normalizeWechatText(raw);
  const prefix = opts.prefixes.find((p) => p && text.startsWith(p));
  if (prefix) text = text.slice(prefix.length).trim();
  if (opts.inRoom && !opts.mentioned && !prefix) return undefined;
  if (!text) return opts.inRoom ? { kind: 'command', text: 'help' } : undefined;
  const room = BIND_ROOM.exec(text);
  if (room) return room[1] ? { kind: 'bind-room', unit: room[1] } : { kind: 'bind-room' };
  const redeem = REDEEM.exec(text);
  if (redeem) return { kind: 'redeem', code: redeem[1]! };
  return { kind: 'command', text };
}

/** WeChat cuts long texts: split at line ends into pieces of at most `max` characters. */
export function splitForWechat(text: string, max = 1800): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    for (let rest = line; ; ) {
      const piece = rest.slice(0, max);
      rest = rest.slice(max);
      if (current && current.length + 1 + piece.length > max) {
        out.push(current);
        current = piece;
      } else current = current ? `${current}\n${piece}` : piece;
      if (!rest) break;
    }
  }
  if (current || out.length === 0) out.push(current);
  return out;
}
