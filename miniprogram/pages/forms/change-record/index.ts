import { api, type ChangeRecordInput } from '../../../api/client';
import { labels } from '../../../utils/i18n';
import { defaultSite, emptyFormState, submitForm } from '../../../utils/form';
import { changeRecordProblems } from '../../../utils/rules';
import { datasetOf, valueOf } from '../../../utils/view';

const FIELDS = ['hostUnit', 'name', 'personInCharge', 'contacts', 'domain', 'columns', 'url', 'note'] as const;

const texts = () =>
  labels({
    title: 'mp.forms.change_record_title',
    site: 'mp.forms.site',
    hostUnit: 'mp.forms.host_unit',
    name: 'mp.forms.name',
    personInCharge: 'mp.forms.person_in_charge',
    contacts: 'mp.forms.contacts',
    domain: 'mp.forms.domain',
    columns: 'mp.forms.columns',
    url: 'mp.forms.url',
    note: 'mp.forms.note',
    submit: 'mp.forms.submit',
  });

/** Art. 17: a change of host unit, person in charge, contacts, domain, columns or URL is filed upward. */
Component({
  data: { L: texts(), site: '', hostUnit: '', name: '', personInCharge: '', contacts: '', domain: '', columns: '', url: '', note: '', ...emptyFormState() },
  methods: {
    async onLoad() {
      this.setData({ L: texts() });
      if (!this.data.site) this.setData({ site: await defaultSite() });
    },
    input(): ChangeRecordInput {
      const out: Record<string, string> = { site: this.data.site.trim() };
      for (const f of FIELDS) if (this.data[f].trim()) out[f] = this.data[f].trim();
      return out as ChangeRecordInput;
    },
    onInput(e: WechatMiniprogram.CustomEvent) {
      this.setData({ [datasetOf(e).field ?? '']: valueOf(e) });
    },
    async submit() {
      const input = this.input();
      this.setData({ busy: true });
      this.setData({ ...(await submitForm(changeRecordProblems(input as Record<string, string | undefined>), () => api.fileChangeRecord(input))), busy: false });
    },
  },
});
