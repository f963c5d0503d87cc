import { api, type ComplaintDTO } from '../../api/client';
import { labels, t } from '../../utils/i18n';
import { datasetOf, failureText, valueOf } from '../../utils/view';

const texts = () =>
  labels({ title: 'mp.complaints.title', empty: 'mp.complaints.empty', answer: 'mp.complaints.answer', answerPlaceholder: 'mp.complaints.answer_placeholder', untrue: 'mp.complaints.untrue', untruePlaceholder: 'mp.complaints.untrue_placeholder' });

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

/** Error reports (art. 23): deadlines (provisional ones marked), answer, or mark untrue. */
Component({
  data: { L: texts(), loaded: false, items: [] as ReturnType<typeof line>[], drafts: {} as Record<string, string>, message: '', error: '' },
  methods: {
    onLoad() {
      this.setData({ L: texts() });
      void this.load();
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
    async act(e: WechatMiniprogram.BaseEvent) {
      const { ref, action } = datasetOf(e);
      this.setData({ error: '', message: '' });
      try {
        // The server decides (an empty answer or reason is refused in the user's language, shown as it comes).
        const text = this.data.drafts[ref ?? ''] ?? '';
        if (action === 'answer') await api.answerComplaint(ref ?? '', text);
        else await api.markUntrue(ref ?? '', text);
        this.setData({ drafts: { ...this.data.drafts, [ref ?? '']: '' }, message: t('common:mp.complaints.done') });
        await this.load();
      } catch (err) {
        this.setData({ error: failureText(err) });
      }
    },
  },
});
