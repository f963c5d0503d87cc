import { z } from 'zod';
import { OBLIGATION_IDS } from '../obligations/obligation.config';
import type { ObligationItem } from '../obligations/obligation.due';
import type { ObligationAck } from '../obligations/obligation.ports';
import { ARTICLE_OF } from '../obligations/obligation.schedule';

export const obligationItemDto = z.object({
  key: z.string(),
  obligation: z.enum(OBLIGATION_IDS),
  article: z.number().int(),
  subject: z.object({ kind: z.enum(['site', 'unit']), id: z.string(), name: z.string(), ref: z.string() }),
  period: z.string(),
  windowStart: z.string(),
  dueDate: z.string(),
  status: z.enum(['upcoming', 'open', 'overdue', 'acknowledged']),
  daysOverdue: z.number().int(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  note: z.string().nullable(),
  onTime: z.boolean().nullable(),
});
export type ObligationItemDTO = z.infer<typeof obligationItemDto>;

export function presentObligationItem(i: ObligationItem): ObligationItemDTO {
  return {
    key: i.key,
    obligation: i.obligation,
    article: ARTICLE_OF[i.obligation],
    subject: { kind: i.subject.kind, id: i.subject.id, name: i.subject.name, ref: i.subject.ref },
    period: i.period,
    windowStart: i.windowStart,
    dueDate: i.dueDate,
    status: i.status,
    daysOverdue: i.daysOverdue,
    ...ackFields(i.ack),
  };
}

function ackFields(ack: ObligationAck | null) {
  return { acknowledgedAt: ack ? ack.at.toISOString() : null, acknowledgedBy: ack?.by.name ?? null, note: ack?.note ?? null, onTime: ack ? ack.onTime : null };
}
