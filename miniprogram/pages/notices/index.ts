import { api, type MyNoticeDTO } from '../../api/client';
import { labels, t } from '../../utils/i18n';
import { setTitle, toast } from '../../utils/page';
import { chinaDay } from '../../utils/time';
import { datasetOf, failureText } from '../../utils/view';

const texts = () =>
  labels({
    title: 'mp.notices.title',
    empty: 'mp.notices.empty',
    cancel: 'mp.confirm.cancel',
    ok: 'mp.confirm.ok',
    confirmTitle: 'mp.confirm.notice_ack_title',
    confirmBody: 'mp.confirm.notice_ack_body',
    retry: 'mp.state.retry',
    loading: 'mp.state.loading',
    open: 'mp.notices.open',
    close: 'mp.notices.close',
    acknowledge: 'mp.notices.acknowledge',
  });


function ackState(n: MyNoticeDTO): string {
  if (!n.requiresAck) return t('common:mp.notices.no_ack');
  if (n.acknowledgedAt) return t('common:mp.notices.acknowledged', { date: chinaDay(n.acknowledgedAt) });
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
    from: t('common:mp.notices.from', { from: n.unit.name, by: n.by, date: chinaDay(n.publishedAt ?? n.createdAt) }),
    state: ackState(n),
    canAcknowledge: n.requiresAck && !n.acknowledged,
  };
}

type NoticeLine = ReturnType<typeof noticeLine>;

/** Notices and criticisms (art. 37) sent to me: read one, acknowledge it when asked to. */
Component({
  data: { L: texts(), state: 'loading', loadError: '', items: [] as NoticeLine[], openId: '', message: '', error: '', confirmId: '' },
  methods: {
    onLoad(query?: Record<string, string>) {
      setTitle('notices');
      this.setData({ L: texts(), ...(query?.id ? { openId: query.id.toUpperCase() } : {}) });
      void this.load();
    },
    onShow() {
      setTitle('notices');
    },
    onPullDownRefresh() {
      void this.load().finally(() => wx.stopPullDownRefresh());
    },
    async load() {
      try {
        const { notices } = await api.myNotices();
        this.setData({ state: 'ready', loadError: '', items: notices.map(noticeLine) });
      } catch (err) {
        this.setData({ state: 'error', loadError: failureText(err) });
      }
    },
    /** Acknowledging is asked for confirmation first. */
    ask(e: WechatMiniprogram.BaseEvent) {
      this.setData({ confirmId: datasetOf(e).id ?? '', message: '', error: '' });
    },
    dismiss() {
      this.setData({ confirmId: '' });
    },
    confirm() {
      const id = this.data.confirmId;
      this.setData({ confirmId: '' });
      return this.acknowledge({ currentTarget: { dataset: { id } } } as unknown as WechatMiniprogram.BaseEvent);
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
        toast(this.data.message);
        await this.load();
      } catch (err) {
        this.setData({ error: failureText(err) });
      }
    },
  },
});
