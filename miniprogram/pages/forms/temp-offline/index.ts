import { api } from '../../../api/client';
import { labels } from '../../../utils/i18n';
import { emptyFormState, goHome, mySites, problemsByField, submitAndShow, type SiteOption } from '../../../utils/form';
import { setTitle } from '../../../utils/page';
import { tempOfflineProblems } from '../../../utils/rules';
import { chinaToday } from '../../../utils/time';
import { datasetOf, valueOf } from '../../../utils/view';

const texts = () =>
  labels({
    title: 'mp.forms.temp_offline_title',
    site: 'mp.form.site_label',
    start: 'mp.forms.start',
    end: 'mp.forms.end',
    reason: 'mp.forms.reason',
    justification: 'mp.forms.justification',
    submit: 'mp.forms.submit',
    required: 'mp.form.required',
    pickSite: 'mp.form.pick_site',
    pickDate: 'mp.form.pick_date',
    noSites: 'mp.form.no_sites',
    resultTitle: 'mp.form.result_title',
    resultNew: 'mp.form.result_new',
    resultBack: 'mp.form.result_back',
  });

const blank = () => ({ start: '', end: '', reason: '', justification: '' });

/** Art. 13–14: a temporary offline of at most 30 days, once a year, approved up the chain. Site and dates are picked. */
Component({
  data: { L: texts(), sites: [] as SiteOption[], siteIndex: 0, site: '', siteLabel: '', noSites: false, today: '', ...blank(), ...emptyFormState() },
  methods: {
    async onLoad() {
      setTitle('temp_offline');
      this.setData({ L: texts(), today: chinaToday(new Date()) });
      const sites = await mySites();
      this.setData({ sites, noSites: sites.length === 0 });
      if (!this.data.site && sites[0]) this.setData({ siteIndex: 0, site: sites[0].ref, siteLabel: sites[0].label });
    },
    input() {
      return { site: this.data.site, start: this.data.start, end: this.data.end, reason: this.data.reason.trim(), ...(this.data.justification.trim() ? { justification: this.data.justification.trim() } : {}) };
    },
    problems() {
      return tempOfflineProblems(this.input(), chinaToday(new Date()));
    },
    /** Mirrors the server's rules at the fields once both dates are picked (the reason is judged on submit). */
    check() {
      if (this.data.start && this.data.end) this.setData({ problems: problemsByField(this.problems().filter((p) => p.field !== 'reason')) });
    },
    onSite(e: WechatMiniprogram.CustomEvent) {
      const picked = this.data.sites[Number(valueOf(e))];
      if (picked) this.setData({ siteIndex: Number(valueOf(e)), site: picked.ref, siteLabel: picked.label, serverErrors: {} });
    },
    onDate(e: WechatMiniprogram.CustomEvent) {
      this.setData({ [datasetOf(e).field ?? '']: valueOf(e), serverErrors: {} });
      this.check();
    },
    onInput(e: WechatMiniprogram.CustomEvent) {
      this.setData({ [datasetOf(e).field ?? '']: valueOf(e) });
      this.check();
    },
    async submit() {
      await submitAndShow(this, () => this.problems(), () => api.fileTempOffline(this.input()), blank);
    },
    again() {
      this.setData({ ...emptyFormState(), ...blank() });
    },
    home() {
      goHome();
    },
  },
});
