import { api } from '../../../api/client';
import { labels } from '../../../utils/i18n';
import { defaultSite, emptyFormState, submitForm } from '../../../utils/form';
import { chinaToday, tempOfflineProblems } from '../../../utils/rules';
import { datasetOf, problemViews, valueOf } from '../../../utils/view';

const texts = () =>
  labels({ title: 'mp.forms.temp_offline_title', site: 'mp.forms.site', start: 'mp.forms.start', end: 'mp.forms.end', reason: 'mp.forms.reason', justification: 'mp.forms.justification', submit: 'mp.forms.submit' });

/** Art. 13–14: a temporary offline of at most 30 days, once a year, approved up the chain. */
Component({
  data: { L: texts(), site: '', start: '', end: '', reason: '', justification: '', ...emptyFormState() },
  methods: {
    async onLoad() {
      this.setData({ L: texts() });
      if (!this.data.site) this.setData({ site: await defaultSite() });
    },
    input() {
      return { site: this.data.site.trim(), start: this.data.start.trim(), end: this.data.end.trim(), reason: this.data.reason.trim(), ...(this.data.justification.trim() ? { justification: this.data.justification.trim() } : {}) };
    },
    problems() {
      return tempOfflineProblems(this.input(), chinaToday(new Date()));
    },
    onInput(e: WechatMiniprogram.CustomEvent) {
      this.setData({ [datasetOf(e).field ?? '']: valueOf(e) });
      // Mirrors the server's rules as the user types, once the dates are there.
      if (this.data.start && this.data.end) this.setData({ problems: problemViews(this.problems().filter((p) => p.field !== 'reason')) });
    },
    async submit() {
      this.setData({ busy: true });
      this.setData({ ...(await submitForm(this.problems(), () => api.fileTempOffline(this.input()))), busy: false });
    },
  },
});
