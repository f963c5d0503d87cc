import type { AnyCommand } from '../../core/commands/command';
import type { Locale, Translate } from '../../core/i18n';
import type { Logger } from '../../lib/logger';
import type { WecomClient } from './client';

/**
 * The app menu's layout: three groups of commands by id (WeCom allows 1–3 top buttons of 1–5 sub-buttons).
 * The labels and what a click runs come from the command registry, so the menu cannot name a command that
 * does not exist, and each label is the word a person would type (the menu teaches the chat).
 */
export const MENU_LAYOUT: readonly { group: 'todo' | 'apply' | 'mine'; commands: readonly string[] }[] = [
  // 待办: what waits for me — approvals, error reports, what is due today, my own requests.
  { group: 'todo', commands: ['request.inbox', 'complaint.list', 'complaint.due', 'request.mine'] },
  // 申请: the filings; given without fields, each starts the guided dialogue (or asks for what it needs).
  { group: 'apply', commands: ['request.temp_offline', 'request.change_record', 'request.emergency_shutdown'] },
  // 我的: notifications, recurring duties, help, language.
  { group: 'mine', commands: ['notification.mine', 'obligation.list', 'help', 'me.locale'] },
];

/** WeCom's limits (menu/create): a top label ≤16 bytes, a sub label ≤40 bytes, a key ≤128 bytes. */
const TOP_LABEL_BYTES = 16;
const SUB_LABEL_BYTES = 40;
const KEY_BYTES = 128;
const MAX_TOP = 3;
const MAX_SUB = 5;

/** The key a click carries: the command it runs. */
const KEY_PREFIX = 'cmd:';
export const menuKeyOf = (commandId: string) => `${KEY_PREFIX}${commandId}`;

/** The command id a clicked key names, undefined for a key that is not ours. */
export const commandOfMenuKey = (key: string): string | undefined => (key.startsWith(KEY_PREFIX) ? key.slice(KEY_PREFIX.length) : undefined);

function clipBytes(s: string, max: number): string {
  let out = '';
  for (const ch of s) {
    if (Buffer.byteLength(out + ch, 'utf8') > max) break;
    out += ch;
  }
  return out;
}

export interface WecomMenuButton {
  type?: 'click';
  name: string;
  key?: string;
  sub_button?: WecomMenuButton[];
}

/** The menu/create body (`{button: [...]}`), in one language: WeCom shows the same menu to everyone. */
export function buildWecomMenu(commands: readonly AnyCommand[], lng: Locale, t: Translate): { button: WecomMenuButton[] } {
  const byId = new Map(commands.map((c) => [c.id, c]));
  const button: WecomMenuButton[] = [];
  for (const { group, commands: ids } of MENU_LAYOUT.slice(0, MAX_TOP)) {
    const sub = ids
      .map((id) => byId.get(id))
      .filter((c): c is AnyCommand => Boolean(c?.chat))
      .slice(0, MAX_SUB)
      .map((c) => ({ type: 'click' as const, name: clipBytes(c.chat!.words[lng]?.[0] ?? c.chat!.words['zh-CN']?.[0] ?? c.id, SUB_LABEL_BYTES), key: menuKeyOf(c.id) }))
      .filter((b) => Buffer.byteLength(b.key, 'utf8') <= KEY_BYTES);
    if (sub.length) button.push({ name: clipBytes(t(`bot:wecom_menu.${group}`), TOP_LABEL_BYTES), sub_button: sub });
  }
  return { button };
}

/**
 * Creates (replaces) the app's menu at start. menu/create replaces the whole menu, so calling it again with
 * the same body changes nothing: every instance may call it. A failure (no menu permission, the app not in
 * callback mode, WeCom unreachable) is logged and never stops the service: chat works without a menu.
 */
export async function publishWecomMenu(o: { client: Pick<WecomClient, 'createMenu'>; commands: readonly AnyCommand[]; lng: Locale; t: Translate; logger: Logger }): Promise<boolean> {
  const menu = buildWecomMenu(o.commands, o.lng, o.t);
  try {
    await o.client.createMenu(menu);
    o.logger.info({ wecom: { menu: menu.button.map((b) => `${b.name}(${b.sub_button?.length ?? 0})`) } }, 'WeCom app menu created');
    return true;
  } catch (err) {
    o.logger.warn({ err, wecom: { api: 'menu/create' } }, 'WeCom app menu not created; chat works without it');
    return false;
  }
}
