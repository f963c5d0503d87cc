import { DEFAULT_OBLIGATION_CONFIG, parseObligationConfig, type ObligationConfig } from '../core/obligations/obligation.config';
import type { ObligationAck, ObligationRepo } from '../core/obligations/obligation.ports';
import { ObligationAckModel, type ObligationAckDoc } from './obligation.model';
import { isDuplicateKey } from './duplicate-key';
import { obligationDeadlineId } from '../core/deadlines/obligation.deadlines';
import { deadlineModel } from './deadline.model';
import { parseTrackingSince } from '../core/obligations/tracking';
import { storedTrackingSince } from './tracking-since';

const toAck = (d: ObligationAckDoc): ObligationAck => ({
  key: d._id,
  obligation: d.obligation,
  subjectKind: d.subjectKind,
  subjectId: d.subjectId,
  subjectName: d.subjectName,
  period: d.period,
  dueDate: d.dueDate,
  by: { userid: d.by.userid, name: d.by.name },
  at: d.at,
  note: d.note ?? null,
  onTime: d.onTime,
  source: d.source,
});

/** Larger `$in` lists are split, so one query stays a reasonable size. */
const CHUNK = 5000;

/**
 * Acknowledgements in `obligation_acks`, keyed by `<obligation>:<subject>:<period>`, the natural key: whoever
 * inserts it acknowledged; a second acknowledgement finds it there.
 */
export function obligationRepoWith(config: ObligationConfig = DEFAULT_OBLIGATION_CONFIG, since?: string): ObligationRepo {
  return {
    config: () => config,
    trackingSince: async () => since ?? (await storedTrackingSince()),
    async acknowledge(ack) {
      const { key, ...rest } = ack;
      let result: { created: boolean; ack: ObligationAck };
      try {
        await ObligationAckModel.create({ _id: key, ...rest });
        result = { created: true, ack };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const existing = await ObligationAckModel.findById(key).lean<ObligationAckDoc>();
        if (!existing) throw err;
        result = { created: false, ack: toAck(existing) };
      }
      // Acknowledged: its deadline closes (again, harmlessly, for one acknowledged before). A failure here is
      // repaired by the day's registration (core/deadlines/obligation.deadlines.ts), which reads the acknowledgements.
      await deadlineModel('obligation').deleteOne({ _id: obligationDeadlineId(key) }).catch(() => undefined);
      return result;
    },
    async acksByKeys(keys) {
      const out = new Map<string, ObligationAck>();
      const unique = [...new Set(keys)];
      for (let i = 0; i < unique.length; i += CHUNK) {
        for (const d of await ObligationAckModel.find({ _id: { $in: unique.slice(i, i + CHUNK) } }).lean<ObligationAckDoc[]>()) out.set(d._id, toAck(d));
      }
      return out;
    },
  };
}

let fromEnv: ObligationRepo | undefined;

/** The production repo, with the dates of `STEWARD_OBLIGATIONS` (validated at start by core/config.schema.ts). */
export function obligationRepo(): ObligationRepo {
  return (fromEnv ??= obligationRepoWith(parseObligationConfig(process.env.STEWARD_OBLIGATIONS), parseTrackingSince(process.env.STEWARD_TRACKING_SINCE ?? '')));
}
