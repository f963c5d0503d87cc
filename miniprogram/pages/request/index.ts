import { api, type Decision, type RequestDTO } from '../../api/client';
import { labels, t } from '../../utils/i18n';
import { datasetOf, failureText, valueOf } from '../../utils/view';

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
    timeline: r.timeline.map((e, i) => ({ key: i, at: e.at.slice(0, 16).replace('T', ' '), by: e.by.name, action: t(`bot:requests.event.${e.action}`), comment: e.comment ?? '' })),
  };
}

/** One request: its standing and review deadline, steps and timeline; approve / reject / return with a comment. */
Component({
  data: { L: texts(), id: '', r: null as ReturnType<typeof view> | null, comment: '', busy: false, message: '', error: '' },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ L: texts(), id: decodeURIComponent(query.id ?? '') });
      void this.load();
    },
    async load() {
      try {
        this.setData({ r: view((await api.request(this.data.id)).request) });
      } catch (err) {
        this.setData({ error: failureText(err) });
      }
    },
    onCommentInput(e: WechatMiniprogram.CustomEvent) {
      this.setData({ comment: valueOf(e) });
    },
    async decide(e: WechatMiniprogram.BaseEvent) {
      const action = datasetOf(e).action as Decision;
      this.setData({ busy: true, error: '', message: '' });
      try {
        const out = await api.decide(this.data.id, action, this.data.comment.trim());
        // The answer carries the request as it now is: shown at once, no second round trip.
        const r = view(out.request);
        this.setData({ r, comment: '', message: t(`common:mp.request.done_${action}`, { status: r.status }) });
      } catch (err) {
        this.setData({ error: failureText(err) });
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
