import { api, type EmergencyInput } from '../../../api/client';
import { labels } from '../../../utils/i18n';
import { defaultSite, emptyFormState, submitForm } from '../../../utils/form';
import { emergencyProblems } from '../../../utils/rules';
import { datasetOf, valueOf } from '../../../utils/view';

const texts = () =>
  labels({
    title: 'mp.forms.emergency_title',
    site: 'mp.forms.site',
    start: 'mp.forms.start',
    end: 'mp.forms.end',
    reasonLabel: 'mp.forms.emergency_reason',
    forceMajeure: 'mp.forms.force_majeure',
    ordered: 'mp.forms.ordered_by_authority',
    note: 'mp.forms.note',
    submit: 'mp.forms.submit',
  });

/** Art. 15: a written report upward of a shutdown forced on the site; not counted in the yearly quota. */
Component({
  data: { L: texts(), site: '', start: '', end: '', reason: 'force_majeure', note: '', ...emptyFormState() },
  methods: {
    async onLoad() {
      this.setData({ L: texts() });
      if (!this.data.site) this.setData({ site: await defaultSite() });
    },
    input(): EmergencyInput {
      return { site: this.data.site.trim(), start: this.data.start.trim(), end: this.data.end.trim(), reason: this.data.reason, note: this.data.note.trim() };
    },
    onInput(e: WechatMiniprogram.CustomEvent) {
      this.setData({ [datasetOf(e).field ?? '']: valueOf(e) });
    },
    pickReason(e: WechatMiniprogram.BaseEvent) {
      this.setData({ reason: datasetOf(e).reason ?? 'force_majeure' });
    },
    async submit() {
      const input = this.input();
      this.setData({ busy: true });
      this.setData({ ...(await submitForm(emergencyProblems({ ...input, reason: String(input.reason) }), () => api.fileEmergency(input))), busy: false });
    },
  },
});
