import Fastify from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registerErrorHandling } from '../error-handler.js';
import { serializerCompiler } from '../serializer.js';

// Responses are written from the route's schema: only its properties, in its order, and an
// answer missing a required property is a 500, never a half-written body.

const Item = z.object({
  id: z.uuid(),
  name: z.string(),
  price: z.int(),
  note: z.string().nullable(),
  tags: z.array(z.string()),
  nested: z.object({ city: z.string(), postalCode: z.string().nullable() }),
  kind: z.union([z.object({ type: z.literal('a'), a: z.int() }), z.object({ type: z.literal('b'), b: z.string() })]),
});

async function app(answer: () => unknown) {
  const instance = Fastify({ logger: false });
  registerErrorHandling(instance);
  instance.setValidatorCompiler(validatorCompiler);
  instance.setSerializerCompiler(serializerCompiler);
  instance
    .withTypeProvider<ZodTypeProvider>()
    .get('/item', { schema: { response: { 200: Item } } }, () => answer() as z.infer<typeof Item>);
  return instance;
}

const good = {
  id: '0b8a6c2e-7a77-4d5e-9a55-6f8a3f1d2c3b',
  name: 'Quote " and \\ and \u2028',
  price: 12_000,
  note: null,
  tags: ['x', 'y'],
  nested: { city: 'Lisbon', postalCode: null },
  kind: { type: 'b', b: 'bee' },
};

describe('response serializer', () => {
  it('writes the schema’s properties in its order, and what JSON.stringify of them would', async () => {
    const res = await (await app(() => good)).inject({ method: 'GET', url: '/item' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(JSON.stringify(good));
  });

  it('never writes a property the schema does not have, at any depth', async () => {
    const leaky = {
      passwordHash: 'secret-1',
      ...good,
      nested: { ...good.nested, line1: 'secret-2' },
      kind: { ...good.kind, internal: 'secret-3' },
    };
    const res = await (await app(() => leaky)).inject({ method: 'GET', url: '/item' });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toMatch(/secret/);
    expect(res.json()).toEqual(good);
  });

  it('answers 500 with a problem, not a partial body, when a required property is missing', async () => {
    const { name: _name, ...missing } = good;
    const res = await (await app(() => missing)).inject({ method: 'GET', url: '/item' });
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).not.toContain('Lisbon');
  });
});
