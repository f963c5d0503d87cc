import { commandById } from '../commands/registry';
import { commandInput, nextStep, readAnswer, startAnswers, wantsDialogue } from './dialogue.flow';
import { DIALOGUE_SPECS, dialogueSpecOf } from './dialogue.specs';

/** The fields a command's zod input refuses to go without (what `{}` is refused for). */
function requiredFields(commandId: string): string[] {
  const parsed = commandById(commandId)!.input.safeParse({});
  if (parsed.success) return [];
  const issues: { path: PropertyKey[] }[] = parsed.error.issues;
  return [...new Set(issues.map((i) => String(i.path[0])))];
}

describe('#guided filing: the step lists agree with the commands’ zod inputs', () => {
  it.each(DIALOGUE_SPECS.map((s) => [s.command, s] as const))('%s asks every required field, and skips only optional ones', (id, spec) => {
    const command = commandById(id);
    expect(command).toBeDefined();
    const asked = spec.steps.filter((s) => !s.field.startsWith('_')).map((s) => s.field);
    for (const field of requiredFields(id)) expect(asked).toContain(field);
    for (const step of spec.steps.filter((s) => s.optional)) expect(requiredFields(id)).not.toContain(step.field);
  });
});

describe('#guided filing: reading answers', () => {
  const now = new Date('2026-12-02T02:00:00Z');
  const spec = dialogueSpecOf('request.temp_offline')!;
  const [site, start, end, , justification] = spec.steps;

  it('reads a numbered site, a single site confirmed with 是, and a site typed by its domain', () => {
    const choices = [
      { ref: 'www.zhengding.gov.cn', name: '正定县人民政府门户网站', domain: 'www.zhengding.gov.cn', kind: 'portal' as const },
      { ref: 'jyj.zhengding.gov.cn', name: '正定县教育局网站', domain: 'jyj.zhengding.gov.cn', kind: 'department' as const },
    ];
    expect(readAnswer(site!, '2', { now, answers: {}, choices })).toEqual({ ok: true, value: 'jyj.zhengding.gov.cn' });
    expect(readAnswer(site!, '第1个', { now, answers: {}, choices })).toEqual({ ok: true, value: 'www.zhengding.gov.cn' });
    expect(readAnswer(site!, '是', { now, answers: {}, choices: choices.slice(1) })).toEqual({ ok: true, value: 'jyj.zhengding.gov.cn' });
    expect(readAnswer(site!, '3', { now, answers: {}, choices })).toMatchObject({ ok: false, problem: { code: 'dialogue_choice_invalid', params: { max: 2 } } });
    expect(readAnswer(site!, 'slj.bd.gov.cn', { now, answers: {}, choices })).toEqual({ ok: true, value: 'slj.bd.gov.cn' });
  });

  it('reads dates in words and refuses an end before the start', () => {
    expect(readAnswer(start!, '下周一', { now, answers: {} })).toEqual({ ok: true, value: '2026-12-07' });
    expect(readAnswer(start!, '改天', { now, answers: {} })).toMatchObject({ ok: false, problem: { field: 'start', code: 'dialogue_date_unreadable' } });
    expect(readAnswer(end!, '12月6日', { now, answers: { start: '2026-12-07' } })).toMatchObject({ ok: false, problem: { code: 'window_end_before_start' } });
  });

  it('skips an optional step with 无, and keeps free text as typed', () => {
    expect(readAnswer(justification!, '无', { now, answers: {} })).toEqual({ ok: true, value: '' });
    expect(readAnswer(justification!, '  全站改版。', { now, answers: {} })).toEqual({ ok: true, value: '全站改版。' });
    // A portal's temporary offline must say why (art. 13): not skippable there.
    expect(readAnswer(justification!, '无', { now, answers: { _siteKind: 'portal' } })).toMatchObject({ ok: false, problem: { code: 'portal_offline_needs_justification' } });
  });

  it('starts a dialogue for missing fields and for dates in words, but not for a complete one-line command', () => {
    const schema = commandById('request.temp_offline')!.input;
    const full = { site: 'jyj.zhengding.gov.cn', start: '2027-03-01', end: '2027-03-10', reason: '机房搬迁' };
    expect(wantsDialogue(schema, full, false)).toBe(false);
    expect(wantsDialogue(schema, { site: 'jyj.zhengding.gov.cn' }, false)).toBe(true);
    // A wrong value given on the line is refused as before, not turned into questions.
    expect(wantsDialogue(schema, { ...full, reason: 'x'.repeat(501) }, false)).toBe(false);
    const worded = startAnswers(spec, { ...full, start: '明天', end: '后天' }, now);
    expect(worded).toEqual({ answers: { ...full, start: '2026-12-03', end: '2026-12-04' }, worded: true });
  });

  it('fills a change record’s field named by “what changes”, and sends no dialogue-only answers', () => {
    const change = dialogueSpecOf('request.change_record')!;
    const { answers } = startAnswers(change, { site: 'jyj.zhengding.gov.cn', domain: 'new.zhengding.gov.cn' }, now);
    expect(answers._what).toBe('domain');
    expect(nextStep(change, answers)).toBe(3);
    expect(commandInput({ ...answers, _siteName: 'x', note: '' })).toEqual({ site: 'jyj.zhengding.gov.cn', domain: 'new.zhengding.gov.cn' });
  });
});
