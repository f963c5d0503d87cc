import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZOD_ISSUE_CODES } from '../core/zod-problems';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Source files of the product (tests excluded), where error codes are born. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

const SNAKE = '([a-z][a-z0-9]*(?:_[a-z0-9]+)+|[a-z]+)';
/** A code with at least one underscore: a bare word in these places is too often something else. */
const CODE = '([a-z][a-z0-9]*(?:_[a-z0-9]+)+)';

const CODE_PATTERNS: RegExp[] = [
  // new DomainError('site_admin_only', ...)
  new RegExp(`new DomainError\\(\\s*'${SNAKE}'`, 'g'),
  // problem('domains', 'domain_not_gov_cn', ...) and the unit rules' add('code', 'unit_code_invalid', ...)
  new RegExp(`\\b(?:problem|add)\\(\\s*'[^'\\n]*',\\s*'${SNAKE}'`, 'g'),
  // { field: 'siteAdminOf', code: 'site_unknown', ... } and { field, code: 'date_out_of_range', ... }
  new RegExp(`\\bfield(?::\\s*[^,}\\n]+)?,\\s*code:\\s*'${SNAKE}'`, 'g'),
  // zod messages that are codes: .min(1, 'site_ref_required'), .regex(/…/, 'userid_format'), message: 'calendar_date_malformed'
  /\.(?:min|max|length|regex|email|url|uuid|refine|nonempty|gte|lte|gt|lt|int|positive|nonnegative)\((?:[^'\n]|'[^'\n]*')*?'([a-z][a-z0-9]*(?:_[a-z0-9]+)+)'\s*\)/g,
  new RegExp(`\\b(?:message|error):\\s*'${CODE}'`, 'g'),
  // a schema's own code: z.string('complaint_ref_required'), z.number('calendar_year_not_a_number')
  new RegExp(`\\bz\\.(?:string|number|boolean|bigint|date|array|object|enum|int)\\(\\s*'${CODE}'`, 'g'),
  // the local helpers that wrap a code: refuse('campaign_check_closed'), reason('complaint_reason_required')
  new RegExp(`\\b(?:refuse|reason)\\(\\s*'${CODE}'`, 'g'),
  // t('errors:unknown_command', ...) straight from a handler or channel
  /['`]errors:([a-z][a-z0-9_]*)['`]/g,
];

/**
 * Every error code the code base can show, with the first file that uses it: the codes it throws, the codes
 * its schemas and rules set, `notFound`/`forbidden`, and every code a zod issue may become.
 */
export function errorCodesInSource(root = ROOT): Map<string, string> {
  const found = new Map<string, string>();
  for (const dir of ['core', 'store', 'api', 'bot', 'scripts', 'jobs', 'lib', 'miniprogram']) {
    for (const file of sourceFiles(path.join(root, dir))) {
      const text = readFileSync(file, 'utf8');
      const at = path.relative(root, file);
      for (const re of CODE_PATTERNS) for (const m of text.matchAll(re)) if (!found.has(m[1]!)) found.set(m[1]!, at);
      // Subclasses of DomainError name their code in super('validation_failed', ...).
      if (/extends DomainError/.test(text)) for (const m of text.matchAll(/super\(\s*'([a-z_]+)'/g)) found.set(m[1]!, at);
      if (/\bnotFound\(/.test(text) && !found.has('not_found')) found.set('not_found', at);
      if (/\bforbidden\(\s*'/.test(text) && !found.has('forbidden')) found.set('forbidden', at);
    }
  }
  for (const code of ZOD_ISSUE_CODES) if (!found.has(code)) found.set(code, 'core/zod-problems.ts');
  return found;
}

/** The values the code passes as `feature` to `feature_unavailable`. */
export function featuresInSource(root = ROOT): string[] {
  const out = new Set<string>();
  for (const dir of ['core', 'store', 'api', 'bot', 'scripts', 'jobs', 'lib'])
    for (const file of sourceFiles(path.join(root, dir))) for (const m of readFileSync(file, 'utf8').matchAll(/\bfeature:\s*'([\w-]+)'/g)) out.add(m[1]!);
  return [...out].sort();
}

type Tree = Record<string, unknown>;
const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);
const subtree = (root: unknown, dotted: string): Tree => {
  const node = dotted.split('.').reduce<unknown>((n, k) => (isTree(n) ? n[k] : undefined), root);
  return isTree(node) ? node : {};
};

/**
 * Vocabularies whose ids reach a text only as params and must come out as words: an id of one of them with
 * an underscore (`province_admin`, `temp_offline`, `mark_untrue`) in a rendered message was not translated.
 */
const VOCABULARIES = [
  'common:role',
  'common:level',
  'common:status',
  'common:kind',
  'bot:requests.status',
  'bot:requests.event',
  'bot:requests.decision',
  'bot:complaint.state',
  'bot:complaint.event',
  'bot:obligation.name',
  'errors:what',
  'errors:expected',
  'errors:feature',
];

/** What a rendered message is checked against: every key path and every vocabulary id of the loaded locales. */
export interface LeakContext {
  topKeys: Set<string>;
  vocabularyIds: Set<string>;
}

export function leakContext(resources: Record<string, Record<string, Tree>>): LeakContext {
  const topKeys = new Set<string>();
  const vocabularyIds = new Set<string>();
  for (const byNs of Object.values(resources)) {
    for (const tree of Object.values(byNs)) for (const [k, v] of Object.entries(tree)) if (isTree(v)) topKeys.add(k);
    for (const voc of VOCABULARIES) {
      const [ns, at] = voc.split(':') as [string, string];
      for (const id of Object.keys(subtree(byNs[ns], at))) if (id.includes('_')) vocabularyIds.add(id);
    }
  }
  return { topKeys, vocabularyIds };
}

/** A command line of our CLI, quoted in a text for the operator to type. */
const COMMAND_LINE = /\bsteward(?: [a-z][\w.-]*)+/g;

/** Three or more ASCII words in a row, separated by single blanks: an English phrase, not a code or a domain. */
const ENGLISH_PHRASE = /[A-Za-z]+(?: [A-Za-z]+){2,}/;

/**
 * Why a rendered message is not fit to show, if it is not: a raw key, an unfilled or unresolved placeholder,
 * a `what.` / `errors:` fragment, an untranslated vocabulary id, or (in Chinese) an English phrase.
 * `templates` are the message's texts in every locale: an id they say literally (`force_majeure`, which users
 * type) is not a leak.
 */
export function leaksIn(message: string, lng: string, code: string, templates: string[], ctx: LeakContext): string[] {
  const out: string[] = [];
  const literal = (s: string) => templates.some((tpl) => tpl.includes(s));
  if (message.trim() === '') out.push('empty');
  if (message === code || message === `errors:${code}`) out.push('the raw key');
  if (/{{|}}/.test(message)) out.push('an unfilled {{…}}');
  if (/\$t\(/.test(message)) out.push('an unresolved $t(…)');
  if (/\b(?:errors|common|bot|commands|import):/.test(message)) out.push('a namespace: fragment');
  if (/\bwhat\./.test(message)) out.push('a what. fragment');
  for (const m of message.matchAll(/\b([a-z][a-z0-9_-]*)(?:\.[a-z0-9_-]+)+\b/g)) if (ctx.topKeys.has(m[1]!) && !literal(m[0])) out.push(`the key path ${m[0]}`);
  for (const m of message.matchAll(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g)) if (ctx.vocabularyIds.has(m[0]) && !literal(m[0])) out.push(`the id ${m[0]}`);
  // A Chinese text may hold what users type (`key=value`, a domain, a `steward …` command line) but never
  // English prose, even literally.
  if (lng === 'zh-CN') {
    const en = ENGLISH_PHRASE.exec(message.replace(COMMAND_LINE, ''));
    if (en) out.push(`the English "${en[0]}"`);
  }
  return out;
}
