import { api, type MyNoticeDTO } from '../../api/client';
import { labels, t } from '../../utils/i18n';
import { datasetOf, failureText } from '../../utils/view';

const texts = () =>
  labels({
    title: 'mp.notices.title',
    empty: 'mp.notices.empty',
    refresh: 'mp.notices.refresh',
    open: 'mp.notices.open',
    close: 'mp.notices.close',
    acknowledge: 'mp.notices.acknowledge',
  });

/** A date as China reads it (the server speaks UTC ISO strings). */
const chinaDate = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);

function ackState(n: MyNoticeDTO): string {
  if (!n.requiresAck) return t('common:mp.notices.no_ack');
  if (n.acknowledgedAt) return t('common:mp.notices.acknowledged', { date: chinaDate(n.acknowledgedAt) });
  return t('common:mp.notices.to_ack');
}

function noticeLine(n: MyNoticeDTO) {
  return {
    id: n.id,
    kind: t(`bot:notices.kind.${n.kind}`),
    criticism: n.kind === 'criticism',
    title: n.title,
    body: n.body,
    no: t('common:mp.notices.no', { id: n.id }),
    from: t('common:mp.notices.from', { from: n.unit.name, by: n.by, date: chinaDate(n.publishedAt ?? n.createdAt) }),
    state: ackState(n),
    canAcknowledge: n.requiresAck && !n.acknowledged,
  };
}

type NoticeLine = ReturnType<typeof noticeLine>;

/** Notices and criticisms (art. 37) sent to me: read one, acknowledge it when asked to. */
Component({
  data: { L: texts(), loaded: false, items: [] as NoticeLine[], openId: '', message: '', error: '' },
  methods: {
    onLoad(query?: Record<string, string>) {
      this.setData({ L: texts(), ...(query?.id ? { openId: query.id.toUpperCase() } : {}) });
      void this.load();
    },
    async load() {
      try {
        const { notices } = await api.myNotices();
        this.setData({ loaded: true, items: notices.map(noticeLine) });
      } catch (err) {
        this.setData({ loaded: true, error: failureText(err) });
      }
    },
    toggle(e: WechatMiniprogram.BaseEvent) {
      const { id } = datasetOf(e);
      this.setData({ openId: this.data.openId === id ? '' : (id ?? '') });
    },
    async acknowledge(e: WechatMiniprogram.BaseEvent) {
      const { id } = datasetOf(e);
      this.setData({ error: '', message: '' });
      try {
        const out = await api.acknowledgeNotice(id ?? '');
        this.setData({ message: t(out.already ? 'bot:notices.ack_already' : 'bot:notices.ack_done', { id: out.notice.id, title: out.notice.title }) });
        await this.load();
      } catch (err) {
        this.setData({ error: failureText(err) });
      }
    },
  },
});
