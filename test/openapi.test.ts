import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats, { type FormatsPlugin } from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { STATUS_BY_KIND } from '../src/http/problem.js';
import type { ErrorKind } from '../src/platform/errors.js';
import { useTestApp } from '#test/helpers.js';

// ajv-formats is CommonJS: its plugin is the default export's `default` under Node's ESM.
const addFormats = ((formats as unknown as { default?: FormatsPlugin }).default ?? formats) as unknown as FormatsPlugin;

const testApp = useTestApp();

type Json = Record<string, unknown>;
interface Operation {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: Json[];
  parameters?: { name: string; in: string; required?: boolean; schema: Json; example?: unknown }[];
  requestBody?: { content: Record<string, { schema: Json; example?: unknown; examples?: Json }> };
  responses: Record<string, Json>;
}
interface Document {
  servers: { url: string }[];
  info: { license?: { name: string; identifier?: string } };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json>; responses: Record<string, Json>; headers: Record<string, Json> };
}

let doc: Document;
let operations: { where: string; op: Operation }[];
beforeAll(async () => {
  doc = (await testApp().app.inject({ url: '/openapi.json' })).json<Document>();
  operations = Object.entries(doc.paths).flatMap(([p, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ where: `${method.toUpperCase()} ${p}`, op })),
  );
});

/** A response object, its `$ref` to `components.responses` followed. */
const responseOf = (response: Json): Json =>
  typeof response.$ref === 'string' ? doc.components.responses[response.$ref.split('/').pop()!]! : response;

/** The `code` values a problem answer lists. */
const codesOf = (response: Json): string[] => {
  const media = (responseOf(response).content as Record<string, { schema: { allOf: Json[] } }>)[
    'application/problem+json'
  ];
  return (
    ((media?.schema.allOf[1]?.properties as Json | undefined)?.code as { enum?: string[] } | undefined)?.enum ?? []
  );
};

/**
 * The (status, code) pairs the source can answer with, read from the code itself: each
 * `new AppError(kind, code…)`, `notFound('x')` (x_not_found), `unauthorized(…, code)` and
 * `forbidden(…, code)` (their codes by default otherwise), and the error handler's own.
 */
async function realProblemCodes(): Promise<Set<string>> {
  const found = new Set<string>(['401 unauthorized', '403 forbidden']);
  const root = path.resolve(import.meta.dirname, '../src');
  const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.ts') && !f.includes('__tests__'));
  for (const file of files) {
    const text = await readFile(path.join(root, file), 'utf8');
    for (const m of text.matchAll(/new AppError\(\s*'(\w+)',\s*'(\w+)'/g)) {
      found.add(`${STATUS_BY_KIND[m[1] as ErrorKind]} ${m[2]}`);
    }
    for (const m of text.matchAll(/notFound\('(\w+)'\)/g)) found.add(`404 ${m[1]}_not_found`);
    for (const m of text.matchAll(/\b(unauthorized|forbidden)\([^;]*?,\s*'(\w+)'\s*\)/g)) {
      found.add(`${m[1] === 'unauthorized' ? 401 : 403} ${m[2]}`);
    }
    for (const m of text.matchAll(/buildProblem\(\s*request,\s*(\d{3}),\s*'(\w+)'/g)) found.add(`${m[1]} ${m[2]}`);
  }
  return found;
}

/** Every node under `node` with the given key, and where it is. */
function nodesWith(node: unknown, key: string, at = '#'): { at: string; node: Json }[] {
  if (node === null || typeof node !== 'object') return [];
  const here = !Array.isArray(node) && key in node ? [{ at, node: node as Json }] : [];
  return [...here, ...Object.entries(node).flatMap(([k, v]) => nodesWith(v, key, `${at}/${k}`))];
}

describe('OpenAPI document', () => {
  it('matches the committed openapi.json (run `npm run test:update` after an intended change)', async () => {
    await expect(JSON.stringify(doc, null, 2) + '\n').toMatchFileSnapshot('../openapi.json');
  });

  it('is served relative to its own origin, under the MIT license', () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(doc.info.license).toEqual({ name: 'MIT', identifier: 'MIT' });
  });

  it('names every operation with a unique, stable camelCase verb + noun, and gives each a summary and tags', () => {
    expect(operations.length).toBeGreaterThanOrEqual(50);
    const ids = operations.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { where, op } of operations) {
      expect(op.operationId, where).toMatch(
        /^(get|list|search|create|update|delete|start|send|mark|cancel|quote|register|login|logout|refresh|verify|resend|request|confirm|change|end|become|set|close|export|retry|resolve|block|unblock|open|respond|receive|save|remove|rotate|accept|decline|sync|add|redeliver)[A-Z][A-Za-z]*$|^(register|login|logout|logoutAll)$/,
      );
      expect(op.summary, where).toBeTruthy();
      expect(op.tags?.length, where).toBeGreaterThan(0);
    }
  });

  it('declares who may call each operation: bearer, optional bearer, or public (`security: []`)', () => {
    const publicOps: string[] = [];
    for (const { where, op } of operations) {
      expect(op.security, where).toBeDefined();
      if (op.security!.length === 0) publicOps.push(op.operationId!);
      const path = where.split(' ')[1]!;
      if (path.startsWith('/v1/me') || path.startsWith('/v1/admin') || path === '/v1/auth/logout') {
        expect(op.security, where).toEqual([{ bearerAuth: [] }]);
      }
    }
    expect(publicOps.sort()).toEqual(
      [
        'confirmPasswordReset',
        'getIcalFeed',
        'login',
        'receivePaymentWebhook',
        'refreshTokens',
        'register',
        'requestPasswordReset',
        'resendVerificationEmail',
        'verifyEmail',
      ].sort(),
    );
  });

  it('documents every error as problem+json with the codes the operation can give, each a real one', async () => {
    const real = await realProblemCodes();
    for (const { where, op } of operations) {
      const errors = Object.entries(op.responses).filter(([status]) => Number(status) >= 400);
      expect(
        errors.some(([status]) => status.startsWith('4')),
        where,
      ).toBe(true);
      for (const [status, response] of errors) {
        const content = responseOf(response).content as Json;
        expect(Object.keys(content), `${where} ${status}`).toEqual(['application/problem+json']);
        const codes = codesOf(response);
        expect(codes.length, `${where} ${status}`).toBeGreaterThan(0);
        for (const code of codes) expect(real, `${where} ${status} ${code}`).toContain(`${status} ${code}`);
      }
    }
  });

  it('documents the headers clients read: request id, rate limit, Location, Retry-After, replays, ETag', () => {
    const names = (response: Json) => Object.keys((responseOf(response).headers as Json | undefined) ?? {});
    for (const { where, op } of operations) {
      for (const [status, response] of Object.entries(op.responses)) {
        const headers = names(response);
        expect(headers, `${where} ${status}`).toContain('x-request-id');
        // The payment provider's webhook is the one route outside the rate limit.
        if (op.operationId !== 'receivePaymentWebhook') {
          expect(headers, `${where} ${status}`).toEqual(
            expect.arrayContaining(['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']),
          );
        }
        if (status === '201') expect(headers, `${where} ${status}`).toContain('Location');
        if (status === '429' || status === '503') expect(headers, `${where} ${status}`).toContain('Retry-After');
      }
    }
    const byId = (id: string) => operations.find(({ op }) => op.operationId === id)!.op;
    expect(names(byId('createBooking').responses['201']!)).toContain('Idempotent-Replayed');
    expect(names(byId('createBooking').responses['409']!)).toContain('Retry-After');
    expect(names(byId('getProperty').responses['200']!)).toEqual(expect.arrayContaining(['ETag', 'Cache-Control']));
    expect(Object.keys(doc.components.headers).length).toBeGreaterThanOrEqual(10);
  });

  it('keeps one component per concept, each one used', () => {
    const names = Object.keys(doc.components.schemas);
    expect(names.filter((n) => names.includes(`${n}Input`))).toEqual([]);
    expect(names.filter((n) => n.endsWith('InputInput'))).toEqual([]);
    const text = JSON.stringify({ ...doc, components: { ...doc.components, schemas: {} } });
    const schemasText = JSON.stringify(doc.components.schemas);
    for (const name of names) {
      const ref = `"#/components/schemas/${name}"`;
      expect(text.includes(ref) || schemasText.includes(ref), name).toBe(true);
    }
  });

  it('shows no made-up bounds, empty defaults or placeholder descriptions', () => {
    const text = JSON.stringify(doc);
    expect(text).not.toContain(String(Number.MAX_SAFE_INTEGER));
    expect(text).not.toContain('"default":""');
    expect(text).not.toContain('Default Response');
  });

  it('gives every request body and path parameter an example', () => {
    for (const { where, op } of operations) {
      for (const param of op.parameters ?? []) {
        if (param.in === 'path') expect(param.example, `${where} ${param.name}`).toBeDefined();
      }
      for (const media of Object.values(op.requestBody?.content ?? {})) {
        expect(media.example ?? media.examples, where).toBeDefined();
      }
    }
  });

  it('has examples that validate against their own schemas', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'urn:staylane:openapi', components: doc.components });
    const check = (schema: Json, value: unknown, at: string) => {
      const rooted = JSON.parse(
        JSON.stringify(schema).replaceAll('"#/components/', '"urn:staylane:openapi#/components/'),
      ) as Json;
      const validate = ajv.compile(rooted);
      expect(validate(value), `${at}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    };
    let count = 0;
    // Schema examples (JSON Schema `examples`, a list), anywhere.
    for (const { at, node } of nodesWith(doc, 'examples')) {
      if (!Array.isArray(node.examples) || !('type' in node || '$ref' in node || 'anyOf' in node)) continue;
      const { examples, ...schema } = node;
      for (const value of examples as unknown[]) {
        check(schema, value, at);
        count++;
      }
    }
    // Parameter and media type examples (`example` beside a `schema`).
    for (const { at, node } of nodesWith(doc, 'example')) {
      if (!node.schema) continue;
      check(node.schema as Json, node.example, at);
      count++;
    }
    expect(count).toBeGreaterThanOrEqual(60);
  });
});

describe('Swagger UI', () => {
  it('serves its page and files under a CSP that runs scripts of this origin only, with no validator badge', async () => {
    const { app } = testApp();
    const page = await app.inject({ url: '/docs/static/index.html' });
    const script = await app.inject({ url: '/docs/static/swagger-initializer.js' });
    for (const res of [page, script]) {
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    }
    // The page has no inline script for the policy to block.
    const html = page.statusCode === 200 ? page.body : (await app.inject({ url: '/docs' })).body;
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(script.body).toContain('"validatorUrl":null');
  });
});
