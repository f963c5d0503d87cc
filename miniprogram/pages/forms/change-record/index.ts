import { api, type ChangeRecordInput } from '../../../api/client';
import { labels, t } from '../../../utils/i18n';
import { emptyFormState, goHome, mySites, submitAndShow, type SiteOption } from '../../../utils/form';
import { setTitle } from '../../../utils/page';
import { changeRecordProblems } from '../../../utils/rules';
import { datasetOf, valueOf } from '../../../utils/view';

const FIELDS = ['hostUnit', 'name', 'personInCharge', 'contacts', 'domain', 'columns', 'url', 'note'] as const;
const KEY: Record<(typeof FIELDS)[number], string> = { hostUnit: 'host_unit', name: 'name', personInCharge: 'person_in_charge', contacts: 'contacts', domain: 'domain', columns: 'columns', url: 'url', note: 'note' };

const texts = () =>
  labels({
    title: 'mp.forms.change_record_title',
    site: 'mp.form.site_label',
    submit: 'mp.forms.submit',
    pickSite: 'mp.form.pick_site',
    resultTitle: 'mp.form.result_title',
    resultNew: 'mp.form.result_new',
    resultBack: 'mp.form.result_back',
  });
const fields = () => FIELDS.map((key) => ({ key, label: t(`common:mp.forms.${KEY[key]}`) }));
const blank = () => ({ values: Object.fromEntries(FIELDS.map((f) => [f, ''])) as Record<string, string> });

/** Art. 17: a change of host unit, person in charge, contacts, domain, columns or URL is filed upward. */
Component({
  data: { L: texts(), fields: fields(), sites: [] as SiteOption[], siteIndex: 0, site: '', siteLabel: '', ...blank(), ...emptyFormState() },
  methods: {
    async onLoad() {
      setTitle('change_record');
      this.setData({ L: texts(), fields: fields() });
      const sites = await mySites();
      this.setData({ sites });
      if (!this.data.site && sites[0]) this.setData({ siteIndex: 0, site: sites[0].ref, siteLabel: sites[0].label });
    },
    input(): ChangeRecordInput {
      const out: Record<string, string> = { site: this.data.site };
      for (const f of FIELDS) if (this.data.values[f]?.trim()) out[f] = this.data.values[f].trim();
      return out as ChangeRecordInput;
    },
    onSite(e: WechatMiniprogram.CustomEvent) {
      const picked = this.data.sites[Number(valueOf(e))];
      if (picked) this.setData({ siteIndex: Number(valueOf(e)), site: picked.ref, siteLabel: picked.label });
    },
    onInput(e: WechatMiniprogram.CustomEvent) {
      this.setData({ [`values.${datasetOf(e).field ?? ''}`]: valueOf(e) });
    },
    async submit() {
      const input = this.input();
      await submitAndShow(this, () => changeRecordProblems(input as Record<string, string | undefined>), () => api.fileChangeRecord(input), blank);
    },
    again() {
      this.setData({ ...emptyFormState(), ...blank() });
    },
    home() {
      goHome();
    },
  },
});
