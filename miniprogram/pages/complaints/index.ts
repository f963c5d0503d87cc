import { api, type ComplaintDTO, type ComplaintEntryDTO } from '../../api/client';
import { labels, t } from '../../utils/i18n';
import { chinaMinute } from '../../utils/time';
import { datasetOf, failureText, valueOf } from '../../utils/view';

const texts = () =>
  labels({
    title: 'mp.complaints.title',
    empty: 'mp.complaints.empty',
    answer: 'mp.complaints.answer',
    answerPlaceholder: 'mp.complaints.answer_placeholder',
    untrue: 'mp.complaints.untrue',
    untruePlaceholder: 'mp.complaints.untrue_placeholder',
    details: 'mp_supervision.complaint.details',
    hide: 'mp_supervision.complaint.hide',
    timeline: 'mp_supervision.complaint.timeline',
  });

function line(c: ComplaintDTO) {
  return {
    ref: c.platformId,
    site: c.site?.name ?? c.siteRef,
    state: t(`bot:complaint.state.${c.state}`),
    description: c.description,
    due: c.due ? t('common:mp.complaints.due', { date: c.due.dueDate }) : '',
    provisional: c.due?.provisional ? t('bot:complaint.provisional') : '',
    overdue: c.due?.overdue ? t('common:mp.complaints.overdue') : '',
    open: c.state === 'transferred',
  };
}

const stateName = (s: string | null) => (s ? t(`bot:complaint.state.${s}`) : '');

/** One step of the report's handling: when, what, who; the state it moved; its note; the deadline it started. */
function entryView(e: ComplaintEntryDTO, i: number) {
  const onTime = e.onTime === null ? '' : t(e.onTime ? 'bot:complaint.on_time' : 'bot:complaint.late');
  return {
    key: i,
    head: t('common:mp_supervision.complaint.entry', { at: chinaMinute(e.at), event: t(`bot:complaint.event.${e.event}`), by: e.byName ?? e.by }),
    move: e.from && e.from !== e.to ? t('common:mp_supervision.complaint.move', { from: stateName(e.from), to: stateName(e.to) }) : '',
    note: e.note ? t('common:mp_supervision.complaint.note', { note: e.note }) : '',
    due: e.due ? t('bot:complaint.due_by', { stage: t(`bot:complaint.stage.${e.due.stage}`), date: e.due.dueDate }) + (e.due.provisional ? t('bot:complaint.provisional') : '') : '',
    onTime,
    late: e.onTime === false,
  };
}

/** The whole report as its detail shows it: what, where, the answer, and its timeline in order. */
function detailView(c: ComplaintDTO) {
  return {
    ref: c.platformId,
    type: t('common:mp_supervision.complaint.type', { type: c.errorType }),
    page: c.pageUrl ? t('bot:complaint.page', { url: c.pageUrl }) : '',
    received: t('bot:complaint.received', { at: chinaMinute(c.receivedAt) }),
    answer: c.answer ? t('common:mp_supervision.complaint.answer', { text: c.answer }) : '',
    untrue: c.untrueReason ? t('bot:complaint.untrue_reason', { reason: c.untrueReason }) : '',
    timeline: c.timeline.map(entryView),
  };
}
type Detail = ReturnType<typeof detailView>;

/** Error reports (art. 35): deadlines (provisional ones marked), answer, or mark untrue; each with its timeline. */
Component({
  data: { L: texts(), loaded: false, items: [] as ReturnType<typeof line>[], drafts: {} as Record<string, string>, openRef: '', details: {} as Record<string, Detail>, message: '', error: '' },
  methods: {
    onLoad(query?: Record<string, string>) {
      this.setData({ L: texts() });
      void this.load().then(() => (query?.ref ? this.openDetail(query.ref) : undefined));
    },
    async load() {
      try {
        this.setData({ loaded: true, items: (await api.complaints()).complaints.map(line) });
      } catch (err) {
        this.setData({ loaded: true, error: failureText(err) });
      }
    },
    /** Each report keeps its own text (answer or reason), so typing under one never answers another. */
    onTextInput(e: WechatMiniprogram.CustomEvent) {
      const { ref } = datasetOf(e);
      this.setData({ drafts: { ...this.data.drafts, [ref ?? '']: valueOf(e) } });
    },
    toggleDetail(e: WechatMiniprogram.BaseEvent) {
      const ref = datasetOf(e).ref ?? '';
      if (this.data.openRef === ref) return this.setData({ openRef: '' });
      return this.openDetail(ref);
    },
    /** The report as it stands now (`GET /complaints/:ref`), so the timeline includes what others just did. */
    async openDetail(ref: string) {
      this.setData({ openRef: ref, error: '' });
      try {
        const { complaint } = await api.complaint(ref);
        this.setData({ details: { ...this.data.details, [ref]: detailView(complaint) } });
        // A report opened from a link but beyond the list's first page still shows.
        if (!this.data.items.some((i) => i.ref === complaint.platformId)) this.setData({ items: [line(complaint), ...this.data.items] });
      } catch (err) {
        this.setData({ error: failureText(err) });
      }
    },
    async act(e: WechatMiniprogram.BaseEvent) {
      const { ref, action } = datasetOf(e);
      this.setData({ error: '', message: '' });
      try {
        // The server decides (an empty answer or reason is refused in the user's language, shown as it comes).
        const text = this.data.drafts[ref ?? ''] ?? '';
        const out = action === 'answer' ? await api.answerComplaint(ref ?? '', text) : await api.markUntrue(ref ?? '', text);
        this.setData({ drafts: { ...this.data.drafts, [ref ?? '']: '' }, message: t('common:mp.complaints.done') });
        if (this.data.details[ref ?? '']) this.setData({ details: { ...this.data.details, [ref ?? '']: detailView(out.complaint) } });
        await this.load();
      } catch (err) {
        this.setData({ error: failureText(err) });
      }
    },
  },
});
