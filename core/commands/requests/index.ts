import type { AnyCommand } from '../command';
import {
  requestApprove,
  requestBackOnline,
  requestCc,
  requestCheck,
  requestHandoff,
  requestInbox,
  requestLaunch,
  requestMine,
  requestReject,
  requestResubmit,
  requestReturn,
  requestShow,
  requestWithdraw,
} from './act.command';
import { fileChangeRecord, fileClosure, fileEmergencyShutdown, fileOpening, fileTempOffline } from './file.command';

/** The request commands, in route order: `/requests/inbox` before `/requests/:id`. */
export const requestCommands: AnyCommand[] = [
  fileTempOffline,
  fileEmergencyShutdown,
  fileChangeRecord,
  fileOpening,
  fileClosure,
  requestMine,
  requestInbox,
  requestShow,
  requestApprove,
  requestReject,
  requestReturn,
  requestHandoff,
  requestCc,
  requestWithdraw,
  requestResubmit,
  requestCheck,
  requestLaunch,
  requestBackOnline,
];
