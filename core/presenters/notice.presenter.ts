import { z } from 'zod';
import { NOTICE_KINDS, NOTICE_PEOPLE, type Notice, type NoticeDeliveryCounts, type NoticeHead, type ReceivedNotice, type SentNotice } from '../notices/notice.types';

export type { ReceivedNotice };

export const noticeDto = z.object({
  id: z.string(),
  kind: z.enum(NOTICE_KINDS),
  title: z.string(),
  requiresAck: z.boolean(),
  audience: z.object({ people: z.enum(NOTICE_PEOPLE), units: z.array(z.string()), groups: z.boolean() }),
  unit: z.object({ code: z.string().nullable(), name: z.string() }),
  by: z.string(),
  status: z.enum(['publishing', 'published']),
  createdAt: z.string(),
  publishedAt: z.string().nullable(),
});
export type NoticeDTO = z.infer<typeof noticeDto>;

export const noticeCountsDto = z.object({
  recipients: z.number().int(),
  delivered: z.number().int(),
  pending: z.number().int(),
  failed: z.number().int(),
  inApp: z.number().int(),
  acknowledged: z.number().int(),
  groups: z.number().int(),
  groupsDelivered: z.number().int(),
});
export type NoticeCountsDTO = z.infer<typeof noticeCountsDto>;

export function presentNotice(n: NoticeHead): NoticeDTO {
  return {
    id: n.id,
    kind: n.kind,
    title: n.title,
    requiresAck: n.requiresAck,
    audience: { ...n.audience, units: [...n.audience.units] },
    unit: { code: n.unitCode, name: n.unitName },
    by: n.by.name,
    status: n.status,
    createdAt: n.createdAt.toISOString(),
    publishedAt: n.publishedAt ? n.publishedAt.toISOString() : null,
  };
}

export const presentNoticeCounts = (c: NoticeDeliveryCounts, acknowledged: number): NoticeCountsDTO => ({ ...c, acknowledged });

/** A notice as one of its recipients sees it (`notice.mine`): the body in the reader's language, and whether they acknowledged it. */
export const myNoticeDto = noticeDto.extend({
  body: z.string(),
  receivedAt: z.string(),
  acknowledged: z.boolean(),
  acknowledgedAt: z.string().nullable(),
});
export type MyNoticeDTO = z.infer<typeof myNoticeDto>;

export function presentMyNotice(r: ReceivedNotice, lng: string): MyNoticeDTO {
  const n = r.notice;
  return {
    ...presentNotice(n),
    body: n.bodies[lng as keyof Notice['bodies']] ?? n.body,
    receivedAt: r.receivedAt.toISOString(),
    acknowledged: r.acknowledgedAt !== null,
    acknowledgedAt: r.acknowledgedAt ? r.acknowledgedAt.toISOString() : null,
  };
}

/**
 * A notice in its sender's list (`notice.sent`): people reached and how many acknowledged, so the list shows
 * progress at a glance; who has not acknowledged is `notice.status`'s to tell.
 */
export const sentNoticeDto = noticeDto.extend({
  recipients: z.number().int(),
  groups: z.number().int(),
  acknowledged: z.number().int(),
});
export type SentNoticeDTO = z.infer<typeof sentNoticeDto>;

export function presentSentNotice(s: SentNotice): SentNoticeDTO {
  return { ...presentNotice(s.notice), recipients: s.notice.recipients, groups: s.notice.groups, acknowledged: s.acknowledged };
}
