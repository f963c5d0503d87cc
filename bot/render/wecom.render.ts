import type { Translate } from '../../core/i18n';
import { text, type Reply } from '../reply';

type UnitRef = { code: string; name: string };

export function renderGroupCreated(out: { unit: UnitRef; created: boolean; members: number }, t: Translate): Reply {
  if (!out.created) return text(t('bot:wecom_group_exists', { unit: out.unit.name, code: out.unit.code, members: out.members }));
  return text(t('bot:wecom_group_created', { unit: out.unit.name, code: out.unit.code, members: out.members }));
}

export function renderRobotRegistered(out: { unit: UnitRef; replaced: boolean }, t: Translate): Reply {
  return text(t(out.replaced ? 'bot:wecom_robot_replaced' : 'bot:wecom_robot_registered', { unit: out.unit.name, code: out.unit.code }));
}

/** The WeCom group commands' renderers, registered by bot/render/index.ts. */
export const wecomRenderers: [string, (out: never, t: Translate) => Reply][] = [
  ['wecom.group.create', renderGroupCreated as (out: never, t: Translate) => Reply],
  ['wecom.robot.register', renderRobotRegistered as (out: never, t: Translate) => Reply],
];
