import { api, type CheckDTO, type FindingDTO } from '../../api/client';
import { labels, t } from '../../utils/i18n';
import { chinaToday } from '../../utils/rules';
import { datasetOf, failureText, valueOf } from '../../utils/view';

const texts = () =>
  labels({
    title: 'mp.checks.title',
    empty: 'mp.checks.empty',
    acknowledge: 'mp.checks.acknowledge',
    rectify: 'mp.checks.rectify',
    notePlaceholder: 'mp.checks.note_placeholder',
    refresh: 'mp.checks.refresh',
  });

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
  data: { L: texts(), loaded: false, items: [] as CheckLine[], notes: {} as Record<string, string>, message: '', error: '' },
  methods: {
    onLoad() {
      this.setData({ L: texts() });
      void this.load();
    },
    async load() {
      try {
        const [{ me }, { sites }] = await Promise.all([api.me(), api.sites()]);
        const mine = new Set(me.siteAdminOf.map((s) => s.id));
        const refs = sites.filter((s) => mine.has(s.id)).map((s) => s.code ?? s.domain);
        const checks = (await Promise.all(refs.map((ref) => api.checks(ref)))).flatMap((r) => r.checks);
        this.setData({ loaded: true, items: checkLines(checks, chinaToday(new Date())) });
      } catch (err) {
        this.setData({ loaded: true, error: failureText(err) });
      }
    },
    onNoteInput(e: WechatMiniprogram.CustomEvent) {
      const { key } = datasetOf(e);
      this.setData({ notes: { ...this.data.notes, [key ?? '']: valueOf(e) } });
    },
    async act(e: WechatMiniprogram.BaseEvent) {
      const { key, site, no, campaign, action } = datasetOf(e);
      const n = Number(no);
      this.setData({ error: '', message: '' });
      try {
        if (action === 'acknowledge') {
          await api.acknowledgeFinding(site ?? '', n, campaign);
          this.setData({ message: t('bot:campaign.done.ack') });
        } else {
          const note = (this.data.notes[key ?? ''] ?? '').trim();
          // The server's rule, mirrored: a rectification needs its note (same words as the server's refusal).
          if (!note) return this.setData({ error: t('errors:campaign_rectify_note_required') });
          await api.rectifyFinding(site ?? '', n, note, campaign);
          this.setData({ message: t('bot:campaign.done.rectify'), notes: { ...this.data.notes, [key ?? '']: '' } });
        }
        await this.load();
      } catch (err) {
        this.setData({ error: failureText(err) });
      }
    },
  },
});
