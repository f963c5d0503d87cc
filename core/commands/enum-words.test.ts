import type { z } from 'zod';
import { commandById } from './registry';

/**
 * A user's word for an enum (a notice's kind, a finding's category) is looked up among the table's own keys:
 * `constructor`, `toString` or `__proto__` are unknown words, never something every object inherits (which
 * once published a notice of kind `function Object() { [native code] }`).
 */
const schemaOf = (id: string) => commandById(id)!.input as z.ZodType;
const issuesOf = (id: string, input: Record<string, unknown>) => {
  const r = schemaOf(id).safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.message);
};

describe('#enum words from users', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])('refuses the notice kind %s as notice_kind_unknown', (kind) => {
    expect(issuesOf('notice.publish', { title: 't', body: 'b', kind })).toEqual(['notice_kind_unknown']);
  });

  it.each(['constructor', '__proto__', 'toString'])('refuses the finding category %s as campaign_category_unknown', (category) => {
    expect(issuesOf('campaign.finding', { site: 'www.zhengding.gov.cn', category, text: 'x' })).toEqual(['campaign_category_unknown']);
  });

  it('still reads the real words, in both languages', () => {
    expect(schemaOf('notice.publish').parse({ title: 't', body: 'b', kind: '通报' })).toMatchObject({ kind: 'criticism' });
    expect(schemaOf('notice.publish').parse({ title: 't', body: 'b', kind: 'Criticism' })).toMatchObject({ kind: 'criticism' });
    expect(schemaOf('campaign.finding').parse({ site: 's', category: '单项否决', text: 'x' })).toMatchObject({ category: 'veto' });
  });
});
