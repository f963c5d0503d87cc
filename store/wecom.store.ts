import type { WecomStore } from '../core/channels/wecom.ports';
import { activateWecomAppchat, claimWecomAppchat, findWecomAppchat, releaseWecomAppchat, usersWithRoles, WecomAppchatModel } from './wecom-appchat.model';
import { claimWecomCard, findWecomCard, releaseWecomCard, saveWecomCard, WecomCardModel } from './wecom-card.model';
import { claimWecomInbound, claimWecomInboundRun, finishWecomInbound, staleWecomInbound, WecomInboundModel } from './wecom-inbound.model';
import { WecomOutboxClaimModel, WecomOutboxDoneModel, WecomOutboxModel, WecomPaceSlotModel } from './wecom-outbox.model';
import { deleteWecomOutboxFile, loadWecomOutboxFile, rememberWecomMedia, reusableMediaId, saveWecomOutboxFile, WecomOutboxFileChunkModel, WecomOutboxFileModel } from './wecom-outbox-file.model';
import { claimWecomOutbox, deferWecomRecipient, enqueueWecomOutbox, finishWecomOutbox, nextDueWecomRecipient, reserveWecomSendSlot, wecomRecipientQueue } from './wecom-outbox.repo';
import { findWecomRobot, saveWecomRobot, WecomRobotModel } from './wecom-robot.model';
import { invalidateWecomToken, lockWecomTokenRefresh, readWecomToken, releaseWecomTokenLock, saveWecomToken, WecomTokenModel } from './wecom-token.model';

export type { WecomStore } from '../core/channels/wecom.ports';

/** Creates the WeCom collections' indexes even if the models were loaded after connectMongo ran. */
export async function ensureWecomIndexes(): Promise<void> {
  for (const model of [WecomInboundModel, WecomTokenModel, WecomOutboxModel, WecomOutboxDoneModel, WecomOutboxClaimModel, WecomPaceSlotModel, WecomCardModel, WecomAppchatModel, WecomRobotModel, WecomOutboxFileModel, WecomOutboxFileChunkModel]) {
    await model.createIndexes();
  }
}

/**
 * Everything the WeCom channel (bot/wecom) keeps in MongoDB: its token, inbound dedup keys and runs, outbox,
 * pace slots, cards, app chats and robots — the port of core/channels/wecom.ports.ts. The channel gets it
 * from the composition root (lib/services.ts) and never imports the store itself.
 */
export const wecomStore: WecomStore = {
  ensureIndexes: ensureWecomIndexes,
  // unit groups
  findWecomAppchat,
  claimWecomAppchat,
  activateWecomAppchat,
  releaseWecomAppchat,
  usersWithRoles,
  findWecomRobot,
  saveWecomRobot,
  // cards
  saveWecomCard,
  findWecomCard,
  claimWecomCard,
  releaseWecomCard,
  // inbound
  claimWecomInbound,
  claimWecomInboundRun,
  finishWecomInbound,
  staleWecomInbound,
  // outbox
  enqueueWecomOutbox,
  nextDueWecomRecipient,
  wecomRecipientQueue,
  claimWecomOutbox,
  finishWecomOutbox,
  deferWecomRecipient,
  reserveWecomSendSlot,
  saveWecomOutboxFile,
  loadWecomOutboxFile,
  reusableMediaId,
  rememberWecomMedia,
  deleteWecomOutboxFile,
  // access token shared by instances
  readWecomToken,
  lockWecomTokenRefresh,
  saveWecomToken,
  releaseWecomTokenLock,
  invalidateWecomToken,
};
