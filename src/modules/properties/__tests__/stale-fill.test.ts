import { beforeAll, describe, expect, it } from 'vitest';
import type { Cache } from '../../../platform/cache/cache.js';
import type { RequestContext } from '../../../platform/context.js';
import { register, type Session, useTestApp } from '#test/helpers.js';
import { createPropertiesService } from '../index.js';
import { createProperty } from '#test/factories/properties.js';

/**
 * A read that fills the detail cache while a write unlists the place must not leave the
 * listed copy behind for other readers (the fill reads the database before the write and
 * stores its result after the write's invalidation).
 */
const testApp = useTestApp();
let host: Session;

beforeAll(async () => {
  host = await register(testApp().app, { role: 'host' });
});

describe('detail cache vs a concurrent unlisting', () => {
  it('a fill that raced the invalidation is never served', async () => {
    const p = await createProperty(testApp().app, host);
    const base = testApp().container.cache;
    let release!: () => void;
    let filling!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const fillStarted = new Promise<void>((r) => (filling = r));
    let held = false;
    // The reader's cache write waits until the writer has committed and invalidated.
    const gated: Cache = {
      ...base,
      async set(key, value, ttlMs) {
        if (!held && key === `property:${p.id}`) {
          held = true;
          filling();
          await gate;
        }
        return base.set(key, value, ttlMs);
      },
    };
    const { db } = testApp().container.database;
    const service = createPropertiesService({
      db,
      cache: gated,
      clock: testApp().container.clock,
      audit: testApp().container.services.audit,
      publish: async () => undefined,
    });
    const anonymous: RequestContext = {};
    const owner: RequestContext = { actor: { id: host.user.id, role: 'host' } };

    const reader = service.getProperty(p.id, anonymous);
    await fillStarted;
    await service.updateProperty(p.id, { status: 'unlisted' }, owner);
    release();
    expect((await reader).status).toBe('listed'); // it read before the write: fine for that reader

    await expect(service.getProperty(p.id, anonymous)).rejects.toMatchObject({ kind: 'not_found' });
    expect((await testApp().app.inject({ url: `/v1/properties/${p.id}` })).statusCode).toBe(404);
  });

  it('readers racing 60 status flips end on the last state', async () => {
    const p = await createProperty(testApp().app, host);
    for (let i = 0; i < 60; i++) {
      const status = i % 2 === 0 ? 'unlisted' : 'listed';
      const reads = Array.from({ length: 4 }, () => testApp().app.inject({ url: `/v1/properties/${p.id}` }));
      const write = testApp().app.inject({
        method: 'PATCH',
        url: `/v1/properties/${p.id}`,
        headers: host.auth,
        payload: { status },
      });
      await Promise.all([...reads, write]);
      const after = await testApp().app.inject({ url: `/v1/properties/${p.id}` });
      expect(after.statusCode).toBe(status === 'listed' ? 200 : 404);
    }
  });
});
