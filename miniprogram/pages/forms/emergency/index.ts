import { api, type EmergencyInput } from '../../../api/client';
import { labels, t } from '../../../utils/i18n';
import { emptyFormState, goHome, mySites, submitAndShow, type SiteOption } from '../../../utils/form';
import { setTitle } from '../../../utils/page';
import { emergencyProblems } from '../../../utils/rules';
import { datasetOf, valueOf } from '../../../utils/view';

const texts = (reason = 'force_majeure') => ({
  ...labels({
    title: 'mp.forms.emergency_title',
    site: 'mp.form.site_label',
    start: 'mp.forms.start',
    end: 'mp.forms.end',
    reasonLabel: 'mp.forms.emergency_reason',
    forceMajeure: 'mp.forms.force_majeure',
    ordered: 'mp.forms.ordered_by_authority',
    note: 'mp.forms.note',
    submit: 'mp.forms.submit',
    required: 'mp.form.required',
    pickSite: 'mp.form.pick_site',
    pickDate: 'mp.form.pick_date',
    resultTitle: 'mp.form.result_title',
    resultNew: 'mp.form.result_new',
    resultBack: 'mp.form.result_back',
  }),
  chosen: t('common:mp.form.reason_chosen', { reason: t(`common:mp.forms.${reason}`) }),
});

const blank = () => ({ start: '', end: '', reason: 'force_majeure', note: '' });

/** Art. 15: a written report upward of a shutdown forced on the site; not counted in the yearly quota. */
Component({
  data: { L: texts(), sites: [] as SiteOption[], siteIndex: 0, site: '', siteLabel: '', ...blank(), ...emptyFormState() },
  methods: {
    async onLoad() {
      setTitle('emergency');
      this.setData({ L: texts(this.data.reason) });
      const sites = await mySites();
      this.setData({ sites });
      if (!this.data.site && sites[0]) this.setData({ siteIndex: 0, site: sites[0].ref, siteLabel: sites[0].label });
    },
    input(): EmergencyInput {
      return { site: this.data.site, start: this.data.start, end: this.data.end, reason: this.data.reason as EmergencyInput['reason'], note: this.data.note.trim() };
    },
    onSite(e: WechatMiniprogram.CustomEvent) {
      const picked = this.data.sites[Number(valueOf(e))];
      if (picked) this.setData({ siteIndex: Number(valueOf(e)), site: picked.ref, siteLabel: picked.label });
    },
    onDate(e: WechatMiniprogram.CustomEvent) {
      this.setData({ [datasetOf(e).field ?? '']: valueOf(e) });
    },
    onInput(e: WechatMiniprogram.CustomEvent) {
      this.setData({ [datasetOf(e).field ?? '']: valueOf(e) });
    },
    onReason(e: WechatMiniprogram.CustomEvent) {
      const reason = valueOf(e) || 'force_majeure';
      this.setData({ reason, L: texts(reason) });
    },
    async submit() {
      const input = this.input();
      await submitAndShow(this, () => emergencyProblems({ ...input, reason: String(input.reason) }), () => api.fileEmergency(input), blank);
    },
    again() {
      this.setData({ ...emptyFormState(), ...blank(), L: texts() });
    },
    home() {
      goHome();
    },
  },
});
