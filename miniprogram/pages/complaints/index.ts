import { api, type ComplaintDTO, type ComplaintEntryDTO } from '../../api/client';
import { labels, t } from '../../utils/i18n';
import { chinaMinute } from '../../utils/time';
import { setTitle, toast } from '../../utils/page';
import { datasetOf, failureText, fieldErrorsOf, valueOf } from '../../utils/view';

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
    cancel: 'mp.confirm.cancel',
    retry: 'mp.state.retry',
    loading: 'mp.state.loading',
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

const closed = () => ({ visible: false, ref: '', action: '', title: '', body: '', placeholder: '', ok: '', text: '', error: '', busy: false });

/**
 * Error reports (art. 35): deadlines (provisional ones marked), each with its timeline. Answering and marking
 * untrue each open one dialog with its own text box (no text box per card): the dialog is the confirmation.
 */
Component({
  data: { L: texts(), state: 'loading', items: [] as ReturnType<typeof line>[], openRef: '', details: {} as Record<string, Detail>, message: '', error: '', loadError: '', dialog: closed() },
  methods: {
    onLoad(query?: Record<string, string>) {
      setTitle('complaints');
      this.setData({ L: texts() });
      void this.load().then(() => (query?.ref ? this.openDetail(query.ref) : undefined));
    },
    onShow() {
      setTitle('complaints');
    },
    onPullDownRefresh() {
      void this.load().finally(() => wx.stopPullDownRefresh());
    },
    async load() {
      try {
        this.setData({ state: 'ready', loadError: '', items: (await api.complaints()).complaints.map(line) });
      } catch (err) {
        this.setData({ state: 'error', loadError: failureText(err) });
      }
    },
    /** Answer or untrue: the dialog with its own text box and words. */
    ask(e: WechatMiniprogram.BaseEvent) {
      const { ref = '', action = 'answer' } = datasetOf(e);
      const untrue = action === 'untrue';
      this.setData({
        message: '',
        error: '',
        dialog: {
          ...closed(),
          visible: true,
          ref,
          action,
          title: t(`common:mp.confirm.${untrue ? 'untrue' : 'answer'}_title`, { ref }),
          body: untrue ? t('common:mp.confirm.untrue_body') : '',
          placeholder: t(`common:mp.complaints.${untrue ? 'untrue' : 'answer'}_placeholder`),
          ok: t(`common:mp.complaints.${untrue ? 'untrue' : 'answer'}`),
        },
      });
    },
    onDialogText(e: WechatMiniprogram.CustomEvent) {
      this.setData({ 'dialog.text': valueOf(e), 'dialog.error': '' });
    },
    dismiss() {
      this.setData({ dialog: closed() });
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
    /** The dialog's confirm: the server decides (an empty answer or reason is refused, shown at the text box). */
    async act() {
      const { ref, action, text } = this.data.dialog;
      this.setData({ error: '', message: '', 'dialog.busy': true });
      try {
        const out = action === 'answer' ? await api.answerComplaint(ref, text.trim()) : await api.markUntrue(ref, text.trim());
        const message = t('common:mp.complaints.done');
        this.setData({ dialog: closed(), message });
        toast(message);
        if (this.data.details[ref]) this.setData({ details: { ...this.data.details, [ref]: detailView(out.complaint) } });
        await this.load();
      } catch (err) {
        const field = Object.values(fieldErrorsOf(err))[0];
        this.setData({ 'dialog.busy': false, 'dialog.error': field ?? failureText(err) });
      }
    },
  },
});
