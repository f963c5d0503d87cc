import { api, ApiFailure, type Decision, type RequestDTO } from '../../api/client';
import { labels, t } from '../../utils/i18n';
import { setTitle, toast } from '../../utils/page';
import { chinaMinute } from '../../utils/time';
import { datasetOf, failureText, fieldErrorsOf, valueOf } from '../../utils/view';

const texts = () =>
  labels({
    status: 'mp.request.status',
    site: 'mp.request.site',
    requester: 'mp.request.requester',
    window: 'mp.request.window',
    reason: 'mp.request.reason',
    steps: 'mp.request.steps',
    timeline: 'mp.request.timeline',
    comment: 'mp.request.comment',
    commentPlaceholder: 'mp.request.comment_placeholder',
    approve: 'mp.request.approve',
    reject: 'mp.request.reject',
    return: 'mp.request.return',
    deadline: 'bot:request_deadline.label',
    cancel: 'mp.confirm.cancel',
    retry: 'mp.state.retry',
  });

/** "截止 2026-12-01" (or overdue), for the pending step. */
const dueText = (date: string, overdue: boolean) => t(`bot:request_deadline.${overdue ? 'overdue' : 'due'}`, { date });
const provisionalMark = () => t('bot:request_deadline.provisional');

function view(r: RequestDTO) {
  // Under review, the first undecided step is the one acting now.
  const current = r.status === 'reviewing' ? r.steps.findIndex((s) => !s.decision) : -1;
  return {
    id: r.id,
    title: t('common:mp.request.title', { id: r.id }),
    type: t(`bot:requests.type.${r.type}`),
    status: t(`bot:requests.status.${r.status}`),
    reviewing: r.status === 'reviewing',
    site: `${r.site.name} (${r.site.domain})`,
    requester: r.requester.name,
    window: r.start && r.end ? t('common:mp.inbox.window', { start: r.start, end: r.end }) : '',
    reason: r.payload.reason ?? r.payload.note ?? '',
    // The pending step's review deadline: provisional marked, overdue highlighted.
    deadline: r.deadline ? dueText(r.deadline, r.overdue) : '',
    provisional: r.deadlineProvisional ? provisionalMark() : '',
    provisionalNote: r.deadlineProvisional ? t('bot:request_deadline.provisional_note') : '',
    overdue: r.overdue,
    steps: r.steps.map((s, i) => {
      const pending = i === current;
      return {
        n: i + 1,
        unit: s.unitName,
        state: s.decision ? `${t(`bot:requests.event.${s.decision.action}`)} · ${s.decision.by.name}${s.decision.comment ? `: ${s.decision.comment}` : ''}` : t('common:mp.request.step_pending'),
        due: pending && s.deadline ? `${dueText(s.deadline, r.overdue)}${s.deadlineProvisional ? provisionalMark() : ''}` : '',
        overdue: pending && r.overdue,
      };
    }),
    // The server speaks UTC; people read China time (one helper, utils/time.ts).
    timeline: r.timeline.map((e, i) => ({ key: i, at: chinaMinute(e.at), by: e.by.name, action: t(`bot:requests.event.${e.action}`), comment: e.comment ?? '' })),
  };
}

const closed = () => ({ visible: false, action: '', title: '', body: '', ok: '', danger: false });

/**
 * One request: its standing and review deadline, steps and timeline (China time); approve / reject / return
 * with a comment, each asked for confirmation in a dialog first.
 */
Component({
  data: { L: texts(), id: '', state: 'loading', loadError: '', r: null as ReturnType<typeof view> | null, comment: '', busy: false, message: '', error: '', fieldErrors: {} as Record<string, string>, confirm: closed() },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      setTitle('request');
      this.setData({ L: texts(), id: decodeURIComponent(query.id ?? '') });
      void this.load();
    },
    onPullDownRefresh() {
      void this.load().finally(() => wx.stopPullDownRefresh());
    },
    async load() {
      if (!this.data.r) this.setData({ state: 'loading' });
      try {
        this.setData({ r: view((await api.request(this.data.id)).request), state: 'ready', loadError: '' });
      } catch (err) {
        if (this.data.r) this.setData({ error: failureText(err) });
        else this.setData({ state: 'error', loadError: failureText(err) });
      }
    },
    onCommentInput(e: WechatMiniprogram.CustomEvent) {
      this.setData({ comment: valueOf(e), fieldErrors: {} });
    },
    /** A decision is asked for confirmation first: nothing is sent until the dialog is confirmed. */
    ask(e: WechatMiniprogram.BaseEvent) {
      const action = datasetOf(e).action as Decision;
      const id = this.data.id;
      this.setData({
        confirm: { visible: true, action, title: t(`common:mp.confirm.${action}_title`, { id }), body: t(`common:mp.confirm.${action}_body`), ok: t(`common:mp.request.${action}`), danger: action !== 'approve' },
      });
    },
    dismiss() {
      this.setData({ confirm: closed() });
    },
    async decide() {
      const action = this.data.confirm.action as Decision;
      this.setData({ confirm: closed() });
      if (!action) return;
      this.setData({ busy: true, error: '', message: '', fieldErrors: {} });
      try {
        const out = await api.decide(this.data.id, action, this.data.comment.trim());
        // The answer carries the request as it now is: shown at once, no second round trip.
        const r = view(out.request);
        const message = t(`common:mp.request.done_${action}`, { status: r.status });
        this.setData({ r, comment: '', message });
        toast(message);
      } catch (err) {
        // A field problem shows at the field, in words (no raw `comment:`); anything else at the top.
        const fieldErrors = fieldErrorsOf(err);
        if (Object.keys(fieldErrors).length) this.setData({ fieldErrors });
        else this.setData({ error: failureText(err) });
        toast(err instanceof ApiFailure ? (Object.values(fieldErrors)[0] ?? err.message) : failureText(err), false);
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
