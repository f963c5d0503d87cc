import { api, type CheckDTO, type FindingDTO } from '../../api/client';
import { labels, t } from '../../utils/i18n';
import { chinaToday } from '../../utils/time';
import { setTitle, toast } from '../../utils/page';
import { datasetOf, failureText, fieldErrorsOf, valueOf } from '../../utils/view';

const texts = () =>
  labels({
    title: 'mp.checks.title',
    empty: 'mp.checks.empty',
    acknowledge: 'mp.checks.acknowledge',
    rectify: 'mp.checks.rectify',
    notePlaceholder: 'mp.checks.note_placeholder',
    cancel: 'mp.confirm.cancel',
    retry: 'mp.state.retry',
    loading: 'mp.state.loading',
  });

const closed = () => ({ visible: false, action: '', key: '', site: '', no: '', campaign: '', title: '', body: '', ok: '', note: '', needsNote: false, error: '' });

/** An id-safe key of a finding, for `id="ack-<key>"` and the note it carries. */
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

function findingState(f: FindingDTO): string {
  if (f.rectifiedAt) return t('bot:campaign.finding_state.rectified', { note: f.rectificationNote ?? '' });
  if (f.acknowledgedAt) return t('bot:campaign.finding_state.acknowledged');
  return t('bot:campaign.finding_state.open');
}

function findingLine(c: CheckDTO, f: FindingDTO, key: string) {
  const open = c.status !== 'closed';
  return {
    key,
    site: c.site.ref,
    campaign: c.campaignId,
    no: f.no,
    text: t('common:mp.checks.finding', { no: f.no, category: t(`bot:campaign.category.${f.category}`), text: f.text }),
    by: t('common:mp.checks.found_by', { name: f.by }),
    state: findingState(f),
    rectified: Boolean(f.rectifiedAt),
    canAcknowledge: open && !f.acknowledgedAt && !f.rectifiedAt,
    canRectify: open && !f.rectifiedAt,
  };
}

/** The checks with findings, as the page shows them: deadline (art. 32), overdue while findings stay open. */
function checkLines(checks: CheckDTO[], today: string) {
  const used = new Set<string>();
  return checks
    .filter((c) => c.findings.length > 0)
    .map((c) => {
      const findings = c.findings.map((f) => {
        let key = `${slug(c.site.ref)}-${f.no}`;
        if (used.has(key)) key = `${key}-${slug(c.campaignId)}`;
        used.add(key);
        return findingLine(c, f, key);
      });
      const pending = c.status !== 'closed' && findings.some((f) => !f.rectified);
      return {
        id: c.id,
        title: t('common:mp.checks.check_title', { site: c.site.name, period: c.period, campaign: c.campaignId }),
        status: t('common:mp.checks.status', { status: t(`bot:campaign.status.${c.status}`) }),
        due: t('common:mp.checks.due', { date: c.dueDate }),
        overdue: pending && today > c.dueDate ? t('common:mp.checks.overdue') : '',
        findings,
      };
    });
}

type CheckLine = ReturnType<typeof checkLines>[number];

/** Quarterly full content checks (art. 32) of the sites I administer: acknowledge findings, report rectification. */
Component({
  data: { L: texts(), state: 'loading', loadError: '', items: [] as CheckLine[], message: '', error: '', dialog: closed() },
  methods: {
    onLoad() {
      setTitle('checks');
      this.setData({ L: texts() });
      void this.load();
    },
    onPullDownRefresh() {
      void this.load().finally(() => wx.stopPullDownRefresh());
    },
    async load() {
      try {
        const [{ me }, { sites }] = await Promise.all([api.me(), api.sites()]);
        const mine = new Set(me.siteAdminOf.map((s) => s.id));
        const refs = sites.filter((s) => mine.has(s.id)).map((s) => s.code ?? s.domain);
        const checks = (await Promise.all(refs.map((ref) => api.checks(ref)))).flatMap((r) => r.checks);
        this.setData({ state: 'ready', loadError: '', items: checkLines(checks, chinaToday(new Date())) });
      } catch (err) {
        this.setData({ state: 'error', loadError: failureText(err) });
      }
    },
    /** Acknowledge asks for confirmation; rectify asks for the note in the same dialog. */
    ask(e: WechatMiniprogram.BaseEvent) {
      const { key = '', site = '', no = '', campaign = '', action = '' } = datasetOf(e);
      const rectify = action === 'rectify';
      this.setData({
        message: '',
        error: '',
        dialog: {
          ...closed(),
          visible: true,
          action,
          key,
          site,
          no,
          campaign,
          needsNote: rectify,
          title: t(`common:mp.confirm.${rectify ? 'rectify' : 'ack'}_title`),
          body: rectify ? t('common:mp.checks.note_placeholder') : t('common:mp.confirm.ack_body'),
          ok: t(`common:mp.checks.${rectify ? 'rectify' : 'acknowledge'}`),
        },
      });
    },
    onDialogNote(e: WechatMiniprogram.CustomEvent) {
      this.setData({ 'dialog.note': valueOf(e), 'dialog.error': '' });
    },
    dismiss() {
      this.setData({ dialog: closed() });
    },
    confirm() {
      const d = this.data.dialog;
      return this.run({ key: d.key, site: d.site, no: d.no, campaign: d.campaign, action: d.action, note: d.note });
    },
    /** A finding's action as a (possibly stale) screen sends it. */
    act(e: WechatMiniprogram.BaseEvent) {
      return this.run({ ...datasetOf(e), note: this.data.dialog.note });
    },
    async run(a: Record<string, string | undefined>) {
      const n = Number(a.no);
      this.setData({ error: '', message: '' });
      try {
        if (a.action === 'acknowledge') {
          await api.acknowledgeFinding(a.site ?? '', n, a.campaign);
          this.setData({ message: t('bot:campaign.done.ack'), dialog: closed() });
        } else {
          const note = (a.note ?? '').trim();
          // The server's rule, mirrored: a rectification needs its note (same words as the server's refusal), at the note.
          if (!note) return this.setData({ 'dialog.error': t('errors:campaign_rectify_note_required') });
          await api.rectifyFinding(a.site ?? '', n, note, a.campaign);
          this.setData({ message: t('bot:campaign.done.rectify'), dialog: closed() });
        }
        toast(this.data.message);
        await this.load();
      } catch (err) {
        const field = Object.values(fieldErrorsOf(err))[0];
        if (this.data.dialog.visible) this.setData({ 'dialog.error': field ?? failureText(err) });
        else this.setData({ error: failureText(err) });
      }
    },
  },
});
