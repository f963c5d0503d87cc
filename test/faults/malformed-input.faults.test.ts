import { jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import request from 'supertest';
import { createApp } from '../../api/app';
import { buildOpenApiDocument } from '../../api/openapi';
import { issueApiToken } from '../../store/api-token.repo';
import { allCommands } from '../../core/commands/registry';
import { createLogger } from '../../lib/logger';
import { seedDemoIfEmpty } from '../../store/demo/seed-demo';
import { createDeps, apiPortsOf, createServices } from '../../lib/services';
import { useTestDatabase } from '../db';
import { FULL, recordFigures } from './figures';

useTestDatabase();
jest.setTimeout(FULL ? 900_000 : 300_000);

/**
 * Every REST route of the OpenAPI document, fed input a client should never send — wrong types, dates outside
 * any sane window, prototype keys, `$` operators in place of values, huge strings — by a province admin, who
 * may call every route. Each must answer 4xx with our error envelope, never 5xx, and write nothing.
 */
type Schema = { type?: string; properties?: Record<string, Schema>; required?: string[]; items?: Schema; anyOf?: Schema[]; oneOf?: Schema[]; format?: string; pattern?: string };
type Operation = { parameters?: { name: string; in: string; schema?: Schema }[]; requestBody?: { content: { 'application/json': { schema: Schema } } } };

const lines: Record<string, unknown>[] = [];
const logger = createLogger('warn', { write: (s: string) => void lines.push(JSON.parse(s)) } as unknown as NodeJS.WritableStream);
const deps = createDeps();
let http: () => request.Agent;
let token = '';

const DATE_NAME = /(date|start|end|from|to|at|day)$/i;

/** The shape of what the database holds, except what reading touches (a token's lastUsedAt). */
async function snapshot(): Promise<string> {
  const db = mongoose.connection.db!;
  const hash = createHash('sha256');
  for (const { name } of (await db.listCollections({}, { nameOnly: true }).toArray()).sort((a, b) => a.name.localeCompare(b.name))) {
    if (name === 'api_tokens') continue;
    const docs = await db.collection(name).find({}).sort({ _id: 1 }).toArray();
    hash.update(name).update(JSON.stringify(docs));
  }
  return hash.digest('hex');
}

function bodySchemaOf(op: Operation): Schema | undefined {
  return op.requestBody?.content['application/json'].schema;
}

const scalarType = (s: Schema | undefined): string | undefined => s?.type ?? s?.anyOf?.[0]?.type ?? s?.oneOf?.[0]?.type;

/** The malformed variants of one route's input, as [name, body or query]. */
function variantsOf(fields: Record<string, Schema>, query: boolean): [string, Record<string, unknown>][] {
  const names = Object.keys(fields);
  if (!names.length) return []; // nothing to malform (unknown keys are ignored, as REST clients expect)
  const each = (fn: (name: string, s: Schema) => unknown) => Object.fromEntries(names.map((n) => [n, fn(n, fields[n]!)]));
  const out: [string, Record<string, unknown>][] = [
    ['wrong types', each((_n, s) => (scalarType(s) === 'array' || scalarType(s) === 'object' ? 'not-a-list' : { nested: [1, 2] }))],
    ['$ operators as values', each(() => ({ $gt: '' }))],
    // In a query string, a size Node's own header limit lets through; a body may be as large as the body limit.
    ['huge strings', each(() => 'x'.repeat(query ? Math.max(1_000, Math.floor(12_000 / names.length)) : 200_000))],
  ];
  const dates = names.filter((n) => DATE_NAME.test(n));
  if (dates.length) {
    out.push(['dates in year 9999', Object.fromEntries(dates.map((n) => [n, '9999-12-31']))]);
    out.push(['dates in 1900', Object.fromEntries(dates.map((n) => [n, '1900-01-01']))]);
    out.push(['hexadecimal and exponent numbers', Object.fromEntries(dates.map((n) => [n, '0x7e9']))]);
  }
  return out;
}

beforeAll(async () => {
  await seedDemoIfEmpty();
  token = await issueApiToken('demo.province', 'malformed-input table');
  const app = createApp({ deps, ...apiPortsOf(createServices()), logger, config: { bodyLimit: '1mb', defaultLocale: 'zh-CN' } });
  http = () => request.agent(app.callback());
});

describe('#fault: malformed input on every REST route', () => {
  it('answers 4xx, never 5xx, and writes nothing', async () => {
    const doc = buildOpenApiDocument(allCommands()) as unknown as { paths: Record<string, Record<string, Operation>> };
    const failures: string[] = [];
    let cases = 0;
    const before = await snapshot();
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/v1/')) continue;
      for (const [method, op] of Object.entries(ops)) {
        // Well-formed ids that name nothing: a route that gets past validation finds nothing to change.
        const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(name === 'id' ? 'R2099-9999' : `nothing-${name}`));
        const queryFields = Object.fromEntries((op.parameters ?? []).filter((p) => p.in === 'query').map((p) => [p.name, p.schema ?? {}]));
        const bodyFields = bodySchemaOf(op)?.properties ?? {};
        const fields = method === 'get' ? queryFields : bodyFields;
        const variants = variantsOf(fields, method === 'get');
        if (method !== 'get') variants.push(['prototype keys', { __proto__: { polluted: 1 }, constructor: { prototype: { polluted: 1 } } } as Record<string, unknown>]);
        for (const [name, input] of variants) {
          cases++;
          let req = http()[method as 'get' | 'post'](url).set('authorization', `Bearer ${token}`).set('accept-language', 'zh-CN');
          if (method === 'get') {
            const q = new URLSearchParams();
            for (const [k, v] of Object.entries(input)) {
              if (Array.isArray(v) || typeof v === 'object') {
                q.append(`${k}[$gt]`, '');
                q.append(k, 'a');
                q.append(k, 'b');
              } else q.append(k, String(v));
            }
            req = req.query(q.toString());
          } else {
            // The raw JSON text, so `__proto__` is sent as a key (an object literal would not carry it).
            const raw = name === 'prototype keys' ? '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}' : JSON.stringify(input);
            req = req.set('content-type', 'application/json').send(raw);
          }
          const res = await req;
          const ok4xx = res.status >= 400 && res.status < 500 && res.body?.ok === false && typeof res.body.error === 'string' && res.body.error !== 'internal_error';
          if (!ok4xx) failures.push(`${method.toUpperCase()} ${path} [${name}] → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        }
      }
    }
    const after = await snapshot();
    recordFigures('malformed input on every REST route', { requests: cases, not4xx: failures.length, wrote: after === before ? 0 : 1 });
    expect(failures).toEqual([]);
    expect(after).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(lines.filter((l) => Number(l.level) >= 50)).toEqual([]);
  });
});
