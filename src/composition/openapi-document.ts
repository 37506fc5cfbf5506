import type { RouteOptions } from 'fastify';
import { createJsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemCodesOf, TITLES } from '../http/problem.js';
import { headerComponent, RESPONSE_HEADERS, responseHeadersOf, type ResponseHeader } from '../http/response-headers.js';

/**
 * How the route schemas become the published OpenAPI document, in two steps: each route's
 * zod schemas become JSON Schema and its answers get their media type, codes, descriptions
 * and headers (`transformRoute`); then the whole document gets one component per concept and
 * shared parts by reference (`finishDocument`).
 */

type Json = Record<string, unknown>;
type TransformInput = Parameters<ReturnType<typeof createJsonSchemaTransform>>[0] & { route?: RouteOptions };

const PROBLEM_TYPE = 'application/problem+json';
/** Where a request body's examples wait between the two steps (fastify-swagger copies `x-` keys). */
const BODY_EXAMPLES = 'x-staylane-body-examples';
const SUCCESS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted: the work is queued',
  204: 'No Content: done',
  304: 'Not Modified: the `If-None-Match` tag is still current',
};
/** Bounds z.number().int() adds by itself; they say nothing about the field. */
const SAFE_INTEGER_BOUNDS = new Set([Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]);

const zodTransform = createJsonSchemaTransform({ skipList: ['/graphql', '/docs', '/docs/*'] });

/** A problem answer: problem+json, with the codes this answer of this route can carry. */
export function problemResponse(status: number, codes: readonly string[], headers: readonly ResponseHeader[]): Json {
  return {
    description: TITLES[status] ?? 'Error',
    headers: Object.fromEntries(headers.map((h) => [h, {}])),
    content: {
      [PROBLEM_TYPE]: {
        schema: {
          allOf: [
            { $ref: '#/components/schemas/Problem' },
            { type: 'object', properties: { code: { type: 'string', enum: [...codes] } } },
          ],
        },
      },
    },
  };
}

/** The examples given to a schema (or to the schema it makes optional or nullable). */
function examplesOf(schema: unknown): unknown[] | undefined {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodNullable) current = current.unwrap();
  const examples = current instanceof z.ZodType ? z.globalRegistry.get(current)?.examples : undefined;
  return Array.isArray(examples) ? examples : undefined;
}

/** Step one, per route (fastify-swagger's `transform`). */
export function transformRoute(input: TransformInput) {
  // GraphiQL's routes carry no schema, which the zod transform would pass through.
  if (input.url.startsWith('/graphiql')) return { schema: { hide: true }, url: input.url };
  const out = zodTransform(input) as {
    schema: Json & { hide?: boolean; response?: Record<string, Json> };
    url: string;
  };
  if (out.schema?.hide) return out;
  // zod leaves the examples out of a request schema that transforms its input (trimming,
  // defaults filled in), and a referenced schema cannot carry them beside its `$ref`: they
  // ride on the operation until finishDocument puts them on the request body's media type.
  const bodyExamples = examplesOf((input.schema as { body?: unknown } | undefined)?.body);
  if (bodyExamples && out.schema.body) out.schema[BODY_EXAMPLES] = bodyExamples;
  const responses = out.schema?.response;
  if (!responses) return out;
  const declared = (input.schema as { response?: Record<string, unknown>; produces?: string[] }).response ?? {};
  const produces = (input.schema as { produces?: string[] }).produces ?? ['application/json'];
  const route = input.route ?? {};
  for (const [key, json] of Object.entries(responses)) {
    const status = Number(key);
    const headers = responseHeadersOf(route, status);
    const codes = problemCodesOf(declared[key]);
    if (codes) {
      responses[key] = problemResponse(status, codes, headers);
      continue;
    }
    const { description, ...schema } = json;
    const text = typeof description === 'string' && !('content' in json) ? description : undefined;
    const headerObject = Object.fromEntries(headers.map((h) => [h, {}]));
    if ('content' in json || schema.type === 'null') {
      responses[key] = { ...json, description: description ?? text ?? SUCCESS_TEXT[status], headers: headerObject };
    } else {
      const content = Object.fromEntries(produces.map((type) => [type, { schema }]));
      responses[key] = { description: text ?? SUCCESS_TEXT[status] ?? 'OK', headers: headerObject, content };
    }
  }
  return out;
}

/** Step two, over the whole document (fastify-swagger's `transformObject`). */
export function finishDocument(input: Parameters<typeof jsonSchemaTransformObject>[0]): Json {
  const doc = jsonSchemaTransformObject(input) as Json & { components: Json & { schemas: Record<string, Json> } };
  const schemas = mergeTwins(doc);
  doc.components = {
    ...doc.components,
    schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))),
    headers: Object.fromEntries(
      Object.entries(RESPONSE_HEADERS).map(([name, header]) => [headerComponent(name as ResponseHeader), header]),
    ),
  };
  placeBodyExamples(doc);
  referenceHeaders(doc);
  shareProblemResponses(doc);
  dropSafeIntegerBounds(doc);
  return doc;
}

/** Every `$ref` target reached from `root`, following references through components. */
function reachable(doc: Json, schemas: Record<string, Json>): Set<string> {
  const seen = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
        const name = value.slice('#/components/schemas/'.length);
        if (!seen.has(name)) {
          seen.add(name);
          visit(schemas[name]);
        }
      } else visit(value);
    }
  };
  visit({ ...doc, components: { ...(doc.components as Json), schemas: {} } });
  return seen;
}

function renameRefs(node: unknown, renames: Map<string, string>): unknown {
  if (Array.isArray(node)) return node.map((n) => renameRefs(n, renames));
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    const target =
      key === '$ref' && typeof value === 'string' ? value.slice('#/components/schemas/'.length) : undefined;
    out[key] =
      target !== undefined && renames.has(target)
        ? `#/components/schemas/${renames.get(target)}`
        : renameRefs(value, renames);
  }
  return out;
}

/**
 * The zod provider writes each named schema twice, as read (`XInput`) and as written (`X`).
 * A concept keeps one name: the form that is used, under the schema's own id; both forms
 * stay only when both are used and differ (which test/openapi.test.ts refuses). Components
 * nothing refers to are dropped.
 */
function mergeTwins(doc: Json & { components: { schemas: Record<string, Json> } }): Record<string, Json> {
  const all = doc.components.schemas;
  const used = reachable(doc, all);
  const renames = new Map<string, string>();
  for (const name of Object.keys(all)) {
    const twin = `${name}Input`;
    if (!(twin in all) || !used.has(twin)) continue;
    const sameShape =
      JSON.stringify(all[twin]).replaceAll('Input"', '"') === JSON.stringify(all[name]).replaceAll('Input"', '"');
    if (!used.has(name) || sameShape) renames.set(twin, name);
  }
  const schemas: Record<string, Json> = {};
  for (const [name, schema] of Object.entries(all)) {
    if (renames.has(name) || !used.has(name)) continue;
    schemas[name] = renameRefs(schema, renames) as Json;
  }
  for (const [twin, name] of renames) schemas[name] = renameRefs(all[twin], renames) as Json;
  doc.paths = renameRefs(doc.paths, renames);
  const kept = reachable({ ...doc, components: { schemas } }, schemas);
  return Object.fromEntries(Object.entries(schemas).filter(([name]) => kept.has(name)));
}

/** Each request body's examples on its media type: `example` for one, named `examples` for more. */
function placeBodyExamples(doc: Json): void {
  for (const operations of Object.values((doc.paths ?? {}) as Record<string, Record<string, Json>>)) {
    for (const operation of Object.values(operations)) {
      const examples = operation[BODY_EXAMPLES] as unknown[] | undefined;
      delete operation[BODY_EXAMPLES];
      const body = operation.requestBody as { content?: Record<string, Json> } | undefined;
      if (!examples || !body?.content) continue;
      for (const media of Object.values(body.content)) {
        delete media.example;
        delete media.examples;
        if (examples.length === 1) media.example = examples[0];
        else media.examples = Object.fromEntries(examples.map((value, i) => [`example${i + 1}`, { value }]));
      }
    }
  }
}

/** Response headers of the catalogue become references to `components.headers`. */
function referenceHeaders(doc: Json): void {
  for (const operations of Object.values((doc.paths ?? {}) as Record<string, Record<string, Json>>)) {
    for (const operation of Object.values(operations)) {
      for (const response of Object.values((operation.responses ?? {}) as Record<string, Json>)) {
        const headers = response.headers as Record<string, unknown> | undefined;
        if (!headers) continue;
        for (const name of Object.keys(headers)) {
          if (name in RESPONSE_HEADERS) {
            headers[name] = { $ref: `#/components/headers/${headerComponent(name as ResponseHeader)}` };
          }
        }
      }
    }
  }
}

const pascal = (code: string) =>
  code
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

/**
 * A problem answer that several operations give alike (the shared ones: invalid token,
 * rate limit, server errors…) is written once under `components.responses`, named by its
 * codes (`RateLimited`, `InvalidTokenOrSessionEnded`), and referenced.
 */
function shareProblemResponses(doc: Json): void {
  const operations = Object.values((doc.paths ?? {}) as Record<string, Record<string, Json>>).flatMap((path) =>
    Object.values(path),
  );
  const found = new Map<string, { response: Json; count: number }>();
  for (const operation of operations) {
    for (const response of Object.values(operation.responses as Record<string, Json>)) {
      if (!(response.content as Json | undefined)?.[PROBLEM_TYPE]) continue;
      const key = JSON.stringify(response);
      const entry = found.get(key) ?? { response, count: 0 };
      entry.count++;
      found.set(key, entry);
    }
  }
  const names = new Map<string, string>();
  const shared: Record<string, Json> = {};
  for (const [key, { response, count }] of found) {
    if (count < 2) continue;
    const content = response.content as Record<string, { schema: { allOf: [unknown, Json] } }>;
    const codes = (content[PROBLEM_TYPE]!.schema.allOf[1] as { properties: { code: { enum: string[] } } }).properties
      .code.enum;
    const base = codes.map(pascal).join('Or');
    let name = base;
    for (let n = 2; name in shared; n++) name = `${base}${n}`;
    shared[name] = response;
    names.set(key, name);
  }
  for (const operation of operations) {
    const responses = operation.responses as Record<string, Json>;
    for (const [status, response] of Object.entries(responses)) {
      const name = names.get(JSON.stringify(response));
      if (name) responses[status] = { $ref: `#/components/responses/${name}` };
    }
  }
  const components = doc.components as Json;
  components.responses = Object.fromEntries(Object.entries(shared).sort(([a], [b]) => a.localeCompare(b)));
}

function dropSafeIntegerBounds(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(dropSafeIntegerBounds);
  if (node === null || typeof node !== 'object') return;
  const object = node as Json;
  for (const key of ['minimum', 'maximum'] as const) {
    if (SAFE_INTEGER_BOUNDS.has(object[key] as number)) delete object[key];
  }
  Object.values(object).forEach(dropSafeIntegerBounds);
}
