import { createHash } from 'node:crypto';
import type { WecomGroupPort } from '../../core/commands/wecom.command';
import { DomainError } from '../../core/errors';
import type { Logger } from '../../lib/logger';
import type { WecomStore } from '../../core/channels/wecom.ports';
import { WecomApiError, type WecomClient } from './client';
import type { WecomSettings } from './settings';

/** WeCom's answer to appchat/create with a chatid it already has. */
const CHATID_EXISTS = 86215;
/** A creation claim this old, never activated, was left by a crash: the next attempt finishes it. */
const STALE_CREATION_MS = 60_000;

/** A chatid WeCom accepts (≤32 of [0-9a-zA-Z]), the same for one unit every time, so a retried create is harmless. */
export function chatidFor(corpId: string, unitCode: string): string {
  return `ss${createHash('sha256').update(`${corpId}\n${unitCode}`).digest('hex').slice(0, 30)}`;
}

/**
 * A group robot's webhook: `https://<host>/cgi-bin/webhook/send?key=<key>` (政务微信 deployments have
 * their own host), or on the configured API base (the fake WeCom server in tests speaks plain http).
 */
export function robotUrlAllowed(url: string, apiBase: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const onBase = `${u.protocol}//${u.host}` === new URL(apiBase).origin;
  if (u.protocol !== 'https:' && !onBase) return false;
  if (u.username || u.password) return false;
  return u.pathname === '/cgi-bin/webhook/send' && /^[\w-]{8,128}$/.test(u.searchParams.get('key') ?? '');
}

/** The WeCom side of the group commands (core/commands/wecom.command.ts). */
export function createWecomGroupPort(opts: {
  settings: WecomSettings;
  client: Pick<WecomClient, 'createAppchat'>;
  logger: Logger;
  store: Pick<WecomStore, 'findWecomAppchat' | 'claimWecomAppchat' | 'activateWecomAppchat' | 'releaseWecomAppchat' | 'usersWithRoles' | 'saveWecomRobot'>;
}): WecomGroupPort {
  const { settings: s, client, logger } = opts;
  const { activateWecomAppchat, claimWecomAppchat, findWecomAppchat, releaseWecomAppchat, usersWithRoles, saveWecomRobot } = opts.store;
  return {
    async groupOf(unitCode) {
      const chat = await findWecomAppchat(unitCode);
      return chat?.status === 'active' ? { chatid: chat.chatid, members: chat.members } : undefined;
    },
    usersWithRoles,
    async createGroup(req) {
      const chatid = chatidFor(s.corpId, req.unitCode);
      const mine = await claimWecomAppchat({ _id: req.unitCode, chatid, name: req.name, owner: req.owner, members: req.userlist, createdBy: req.by, createdAt: req.at });
      if (!mine) {
        const chat = await findWecomAppchat(req.unitCode);
        if (chat?.status === 'active') return { chatid: chat.chatid, created: false, members: chat.members };
        // Another supervisor is creating it right now; one left by a crash is finished here.
        if (!chat || req.at.getTime() - new Date(chat.createdAt).getTime() < STALE_CREATION_MS) throw new DomainError('wecom_group_in_progress', {}, 409);
      }
      try {
        await client.createAppchat({ name: req.name, owner: req.owner, userlist: req.userlist, chatid });
      } catch (err) {
        if (!(err instanceof WecomApiError && err.errcode === CHATID_EXISTS)) {
          logger.error({ err, wecom: { unit: req.unitCode, chatid } }, 'appchat/create failed');
          await releaseWecomAppchat(req.unitCode);
          throw new DomainError('wecom_group_create_failed', { errcode: err instanceof WecomApiError ? err.errcode : -2 }, 502);
        }
      }
      await activateWecomAppchat(req.unitCode, new Date(), { members: req.userlist, owner: req.owner, name: req.name });
      logger.info({ wecom: { unit: req.unitCode, chatid, members: req.userlist.length, by: req.by } }, 'WeCom unit group created');
      return { chatid, created: true, members: req.userlist };
    },
    async registerRobot(req) {
      if (!robotUrlAllowed(req.url, s.apiBase)) throw new DomainError('wecom_robot_url_invalid', {}, 422);
      const replaced = await saveWecomRobot({ _id: req.unitCode, url: req.url, registeredBy: req.by, registeredAt: req.at });
      logger.info({ wecom: { unit: req.unitCode, by: req.by, replaced } }, 'WeCom group robot registered');
      return { replaced };
    },
  };
}
