import { z } from 'zod';
import { isOverdue } from '../requests/review-deadline';
import { REQUEST_STATUSES, REQUEST_TYPES, type RequestRecord } from '../requests/types';

const whoDto = z.object({ userid: z.string(), name: z.string() });

export const requestStepDto = z.object({
  unitCode: z.string(),
  unitName: z.string(),
  role: z.enum(['review', 'approve', 'acknowledge']),
  root: z.boolean(),
  assignee: whoDto.nullable(),
  cc: z.array(whoDto),
  decision: z.object({ action: z.enum(['approve', 'reject', 'return']), by: whoDto, at: z.string(), comment: z.string().nullable() }).nullable(),
  /** The step's review deadline, a China-local date (decide by its end); null for a step not reached yet. */
  deadline: z.string().nullable(),
  deadlineProvisional: z.boolean(),
});

export const requestSummaryDto = z.object({
  id: z.string(),
  type: z.enum(REQUEST_TYPES),
  status: z.enum(REQUEST_STATUSES),
  site: z.object({ id: z.string(), name: z.string(), domain: z.string() }),
  requester: whoDto,
  /** The step that acts next, while the request is under review. */
  pendingStep: z.object({ unitCode: z.string(), unitName: z.string(), assignee: whoDto.nullable() }).nullable(),
  start: z.string().nullable(),
  end: z.string().nullable(),
  /** The pending step's review deadline, a China-local `YYYY-MM-DD` (decide by its end); null when nothing is pending. */
  deadline: z.string().nullable(),
  /** The deadline was computed through a year whose official holiday schedule is not loaded: it may be wrong. */
  deadlineProvisional: z.boolean(),
  /** The pending step's deadline has passed. */
  overdue: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type RequestSummaryDTO = z.infer<typeof requestSummaryDto>;

export const requestDto = requestSummaryDto.extend({
  year: z.number().int(),
  round: z.number().int(),
  payload: z.object({
    start: z.string().optional(),
    end: z.string().optional(),
    reason: z.string().optional(),
    justification: z.string().optional(),
    emergencyReason: z.enum(['force_majeure', 'ordered_by_authority']).optional(),
    note: z.string().optional(),
    migrateTo: z.string().optional(),
    changes: z.record(z.string(), z.string()).optional(),
  }),
  noticePortal: z.object({ id: z.string(), name: z.string(), domain: z.string() }).nullable(),
  steps: z.array(requestStepDto),
  checklist: z.array(z.object({ key: z.string(), done: z.boolean(), by: whoDto.nullable(), at: z.string().nullable(), evidence: z.string().nullable() })),
  timeline: z.array(
    z.object({ at: z.string(), by: whoDto, source: z.string(), action: z.string(), from: z.string().nullable(), to: z.string(), step: z.number().int().nullable(), comment: z.string().nullable() }),
  ),
});
export type RequestDTO = z.infer<typeof requestDto>;

/** What an action command answers: what was done, and the request as it now is. */
export const requestActionDto = z.object({ action: z.string(), request: requestDto });
export type RequestActionDTO = z.infer<typeof requestActionDto>;

const iso = (d: Date | string | undefined) => (d ? new Date(d).toISOString() : null);
const who = (w: { userid: string; name: string }) => ({ userid: w.userid, name: w.name });

/** `now` decides `overdue`; the deadline itself is the one stored when the step became active. */
export function presentRequestSummary(r: RequestRecord, now: Date): RequestSummaryDTO {
  const step = r.status === 'reviewing' ? r.steps[r.currentStep] : undefined;
  const deadline = step?.deadline;
  return {
    id: r.id,
    type: r.type,
    status: r.status,
    site: { id: r.site.id, name: r.site.name, domain: r.site.domain },
    requester: who(r.requester),
    pendingStep: step ? { unitCode: step.unitCode, unitName: step.unitName, assignee: step.assignee ? who(step.assignee) : null } : null,
    start: r.payload.start ?? null,
    end: r.payload.end ?? null,
    deadline: deadline?.dueDate ?? null,
    deadlineProvisional: deadline?.provisional ?? false,
    overdue: deadline ? isOverdue(deadline, now) : false,
    createdAt: iso(r.createdAt)!,
    updatedAt: iso(r.updatedAt)!,
  };
}

export function presentRequest(r: RequestRecord, now: Date): RequestDTO {
  const p = r.payload;
  const changes = p.changes ? Object.fromEntries(Object.entries(p.changes).filter(([, v]) => typeof v === 'string' && v)) : undefined;
  return {
    ...presentRequestSummary(r, now),
    year: r.year,
    round: r.round,
    payload: {
      ...(p.start ? { start: p.start } : {}),
      ...(p.end ? { end: p.end } : {}),
      ...(p.reason ? { reason: p.reason } : {}),
      ...(p.justification ? { justification: p.justification } : {}),
      ...(p.emergencyReason ? { emergencyReason: p.emergencyReason } : {}),
      ...(p.note ? { note: p.note } : {}),
      ...(p.migrateTo ? { migrateTo: p.migrateTo } : {}),
      ...(changes ? { changes } : {}),
    },
    noticePortal: r.site.noticePortal ?? null,
    steps: r.steps.map((s) => ({
      unitCode: s.unitCode,
      unitName: s.unitName,
      role: s.role,
      root: s.root,
      assignee: s.assignee ? who(s.assignee) : null,
      cc: s.cc.map(who),
      decision: s.decision ? { action: s.decision.action, by: who(s.decision.by), at: iso(s.decision.at)!, comment: s.decision.comment ?? null } : null,
      deadline: s.deadline?.dueDate ?? null,
      deadlineProvisional: s.deadline?.provisional ?? false,
    })),
    checklist: r.checklist.map((c) => ({ key: c.key, done: c.done, by: c.by ? who(c.by) : null, at: iso(c.at), evidence: c.evidence ?? null })),
    timeline: r.audit.map((a) => ({ at: iso(a.at)!, by: who(a.by), source: a.source, action: a.action, from: a.from, to: a.to, step: a.step ?? null, comment: a.comment ?? null })),
  };
}
