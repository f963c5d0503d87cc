import type { Translate } from '../../core/i18n';
import { text, type Reply } from '../reply';

type UnitRef = { code: string; name: string };

export function renderBindingCode(out: { code: string; minutes: number }, t: Translate): Reply {
  return text(t('bot:wechaty_binding_code', { code: out.code, minutes: out.minutes }));
}

export function renderRoomBound(out: { unit: UnitRef; previous: UnitRef | null; changed: boolean }, t: Translate): Reply {
  if (!out.changed) return text(t('bot:wechaty_room_already_bound', { unit: out.unit.name, code: out.unit.code }));
  if (out.previous) return text(t('bot:wechaty_room_rebound', { unit: out.unit.name, code: out.unit.code, previous: out.previous.name }));
  return text(t('bot:wechaty_room_bound', { unit: out.unit.name, code: out.unit.code }));
}

/** The binding commands' renderers, registered by bot/render/index.ts. */
export const bindingRenderers: [string, (out: never, t: Translate) => Reply][] = [
  ['binding.code', renderBindingCode as (out: never, t: Translate) => Reply],
  ['binding.room', renderRoomBound as (out: never, t: Translate) => Reply],
];
