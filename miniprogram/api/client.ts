/**
 * The typed client of the Site Steward REST API (/api/v1). Every answer type is the server's own DTO type,
 * imported type-only from core/ (erased at build), so a change of shape on the server fails the mini-program's
 * type-check. Failures carry the server's code and its message, already in the user's language.
 */
import type { z } from 'zod';
import type { MpLoginDTO, MpSessionDTO } from '../../core/commands/mp.command';
import type { campaignProgress, campaignShow } from '../../core/commands/campaign.command';
import type { noticeStatus } from '../../core/commands/notice.command';
import type { noticeSent } from '../../core/commands/notice.command';
import type { SentNoticeDTO } from '../../core/presenters/notice.presenter';
import type { fileChangeRecord, fileEmergencyShutdown, fileTempOffline } from '../../core/commands/requests/file.command';
import type { CampaignDTO, CheckDTO, ProgressCountsDTO, UnitProgressDTO } from '../../core/presenters/campaign.presenter';
import type { ComplaintDTO, ComplaintEntryDTO } from '../../core/presenters/complaint.presenter';
import type { MyNoticeDTO, NoticeDTO } from '../../core/presenters/notice.presenter';
import type { RequestActionDTO, RequestDTO, RequestSummaryDTO } from '../../core/presenters/request.presenter';
import type { MeDTO } from '../../core/presenters/user.presenter';
import type { SiteDTO } from '../../core/presenters/site.presenter';
import type { DayAvailabilityDTO, InspectionReportDTO } from '../../core/presenters/inspection.presenter';
import { apiBase } from '../config';
import { currentLng } from '../utils/i18n';

export type { CampaignDTO, CheckDTO, ComplaintDTO, ComplaintEntryDTO, MeDTO, ProgressCountsDTO, UnitProgressDTO, MyNoticeDTO, NoticeDTO, SiteDTO, MpLoginDTO, MpSessionDTO, RequestActionDTO, RequestDTO, RequestSummaryDTO };
export type TempOfflineInput = z.input<typeof fileTempOffline.input>;
export type EmergencyInput = z.input<typeof fileEmergencyShutdown.input>;
export type ChangeRecordInput = z.input<typeof fileChangeRecord.input>;
/** GET /campaigns/checks/:site: the site and its latest checks (open ones first), findings included. */
export type SiteChecksDTO = z.output<typeof campaignShow.output>;
export type FindingDTO = CheckDTO['findings'][number];
/** GET /campaigns/progress: a campaign's counts over the supervisor's subtree, in total and per supervising unit. */
export type CampaignProgressDTO = z.output<typeof campaignProgress.output>;
/** GET /notices/:id: a sent notice's delivery and acknowledgement counts, and who has not acknowledged. */
export type NoticeStatusDTO = z.output<typeof noticeStatus.output>;
export type { SentNoticeDTO };
/** GET /notices/sent: the latest notices sent by me and the units I supervise, with acknowledgements so far. */
export type SentNoticesDTO = z.output<typeof noticeSent.output>;
export type Decision = 'approve' | 'reject' | 'return';
/** GET /inspections/:site: the latest inspection (art. 28) and the availability of the last days. */
export interface SiteInspectionDTO {
  site: { id: string; name: string; ref: string };
  report: InspectionReportDTO | null;
  days: DayAvailabilityDTO[];
  total: { probes: number; failed: number; ratio: number };
}
export type { InspectionReportDTO };

/** The server said no (or could not be reached): its code, its localized message, the field problems. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: { field: string; code: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

const SESSION_KEY = 'steward.session';
const BIND_KEY = 'steward.bindToken';

export function storedSession(): MpSessionDTO | undefined {
  const s = wx.getStorageSync(SESSION_KEY) as unknown;
  return s && typeof s === 'object' && 'accessToken' in s ? (s as MpSessionDTO) : undefined;
}

function keepSession(session: MpSessionDTO | undefined): void {
  if (session) wx.setStorageSync(SESSION_KEY, session);
  else wx.removeStorageSync(SESSION_KEY);
}

type Method = 'GET' | 'POST';

function send<T>(method: Method, path: string, body: unknown, token: string | undefined): Promise<{ status: number; data: { ok: true; data: T } | { ok: false; error: string; message: string; problems?: ApiFailure['problems'] } }> {
  return new Promise((resolve, reject) => {
    wx.request({
      url: `${apiBase()}/api/v1${path}`,
      method,
      data: method === 'POST' ? ((body ?? {}) as WechatMiniprogram.IAnyObject) : '',
      header: { 'content-type': 'application/json', 'Accept-Language': currentLng(), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      success: (res) => resolve({ status: res.statusCode, data: res.data as never }),
      fail: (err) => reject(new ApiFailure(0, 'network_error', err.errMsg)),
    });
  });
}

let refreshing: Promise<boolean> | undefined;

/** One refresh at a time: the refresh token works once, so two pages must not both spend it. */
function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const session = storedSession();
    if (!session) return false;
    const res = await send<{ session: MpSessionDTO }>('POST', '/mp/refresh', { refreshToken: session.refreshToken }, undefined);
    if (!res.data.ok) {
      keepSession(undefined);
      return false;
    }
    keepSession(res.data.data.session);
    return true;
  })().finally(() => (refreshing = undefined));
  return refreshing;
}

/** A call with the session token; on 401 the session is refreshed once and the call repeated. */
async function call<T>(method: Method, path: string, body?: unknown, auth = true): Promise<T> {
  let res = await send<T>(method, path, body, auth ? storedSession()?.accessToken : undefined);
  if (auth && res.status === 401 && (await refreshSession())) res = await send<T>(method, path, body, storedSession()?.accessToken);
  if (res.data && res.data.ok) return res.data.data;
  const failed = res.data as { error?: string; message?: string; problems?: ApiFailure['problems'] } | undefined;
  throw new ApiFailure(res.status, failed?.error ?? 'http_error', failed?.message ?? `HTTP ${res.status}`, failed?.problems ?? []);
}

const enc = encodeURIComponent;

export const api = {
  async login(mode: 'wecom' | 'wechat', code: string): Promise<MpLoginDTO> {
    const out = await call<MpLoginDTO>('POST', '/mp/login', { mode, code }, false);
    if (out.status === 'ok') keepSession(out.session);
    else wx.setStorageSync(BIND_KEY, out.bindToken);
    return out;
  },
  async bind(code: string): Promise<MpLoginDTO> {
    const bindToken = wx.getStorageSync(BIND_KEY) as string;
    const res = await send<MpLoginDTO>('POST', '/mp/bind', { code }, bindToken || undefined);
    if (!res.data.ok) throw new ApiFailure(res.status, res.data.error, res.data.message, res.data.problems ?? []);
    if (res.data.data.status === 'ok') {
      keepSession(res.data.data.session);
      wx.removeStorageSync(BIND_KEY);
    }
    return res.data.data;
  },
  async logout(): Promise<void> {
    await call<object>('POST', '/mp/logout', {}).catch(() => undefined);
    keepSession(undefined);
  },
  signedIn: () => storedSession() !== undefined,
  me: () => call<{ me: MeDTO }>('GET', '/me'),
  /** The sites I administer or supervise. */
  sites: () => call<{ sites: SiteDTO[]; total: number; truncated: boolean }>('GET', '/sites'),
  inbox: () => call<{ requests: RequestSummaryDTO[] }>('GET', '/requests/inbox'),
  mine: () => call<{ requests: RequestSummaryDTO[] }>('GET', '/requests'),
  request: (id: string) => call<{ request: RequestDTO }>('GET', `/requests/${enc(id)}`),
  decide: (id: string, action: Decision, comment: string) => call<RequestActionDTO>('POST', `/requests/${enc(id)}/${action}`, comment ? { comment } : {}),
  fileTempOffline: (input: TempOfflineInput) => call<RequestActionDTO>('POST', '/requests/temp-offline', input),
  fileEmergency: (input: EmergencyInput) => call<RequestActionDTO>('POST', '/requests/emergency-shutdown', input),
  fileChangeRecord: (input: ChangeRecordInput) => call<RequestActionDTO>('POST', '/requests/change-record', input),
  complaints: () => call<{ complaints: ComplaintDTO[]; truncated: boolean }>('GET', '/complaints'),
  answerComplaint: (ref: string, answer: string) => call<{ complaint: ComplaintDTO }>('POST', `/complaints/${enc(ref)}/answer`, { text: answer }),
  markUntrue: (ref: string, reason: string) => call<{ complaint: ComplaintDTO }>('POST', `/complaints/${enc(ref)}/untrue`, { reason }),
  /** A site's latest inspection (art. 28): availability, freshness, broken links, required elements. */
  inspection: (site: string) => call<SiteInspectionDTO>('GET', `/inspections/${enc(site)}`),
  /** Inspects the site now (a crawl of its home page, key columns and links: seconds to a minute). */
  runInspection: (site: string) => call<{ report: InspectionReportDTO }>('POST', `/inspections/${enc(site)}/run`, {}),
  /** A site's quarterly checks (art. 32) with their findings; `site` is its code or domain. */
  checks: (site: string) => call<SiteChecksDTO>('GET', `/campaigns/checks/${enc(site)}`),
  /** The site admin acknowledges finding `no`; `campaign` picks the check when the site is in several. */
  acknowledgeFinding: (site: string, no: number, campaign?: string) => call<{ check: CheckDTO }>('POST', `/campaigns/checks/${enc(site)}/findings/${no}/ack`, campaign ? { campaign } : {}),
  /** The site admin reports finding `no` rectified, with what was done (the server requires the note). */
  rectifyFinding: (site: string, no: number, note: string, campaign?: string) =>
    call<{ check: CheckDTO }>('POST', `/campaigns/checks/${enc(site)}/findings/${no}/rectify`, { note, ...(campaign ? { campaign } : {}) }),
  /** The notices and criticisms sent to me, newest first, with the body in my language and my acknowledgement. */
  myNotices: () => call<{ notices: MyNoticeDTO[] }>('GET', '/notices/mine'),
  /** I acknowledge notice `id` (once; `already` when I had). */
  acknowledgeNotice: (id: string) => call<{ notice: NoticeDTO; already: boolean }>('POST', `/notices/${enc(id)}/ack`, {}),
  /** One error report with its deadlines and its timeline (`ref`: platform id). */
  complaint: (ref: string) => call<{ complaint: ComplaintDTO }>('GET', `/complaints/${enc(ref)}`),
  /** A supervisor's view of a quarterly check campaign (art. 32); without `unit`/`period` the server picks my first unit and the current quarter. */
  campaignProgress: (unit?: string, period?: string) => call<CampaignProgressDTO>('GET', `/campaigns/progress${query({ unit, period })}`),
  /** The sender (or a supervisor above) follows a notice: counts and the names of who has not acknowledged. */
  noticeStatus: (id: string) => call<NoticeStatusDTO>('GET', `/notices/${enc(id)}`),
  /** The notices I (or a unit I supervise) sent, newest first, each with acknowledged / recipients; `truncated` past the latest 20. */
  sentNotices: () => call<SentNoticesDTO>('GET', '/notices/sent'),
};

/** `?a=1&b=2` of the given values (empty ones left out), or ''. */
function query(params: Record<string, string | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${enc(k)}=${enc(v!)}`);
  return parts.length ? `?${parts.join('&')}` : '';
}
