import { describe, expect, it } from 'vitest';
import { createLiveEvents } from '../live.js';

const redisUrl = process.env.TEST_REDIS_URL;

describe('live events', () => {
  it('delivers a published payload to a listener of its topic, in process', async () => {
    const live = createLiveEvents({});
    const got = new Promise<unknown>((resolve) => {
      live.emitter.on('t/1', (message, done) => {
        resolve(message.payload);
        done();
      });
    });
    await live.publish('t/1', { hello: 'world' });
    expect(await got).toEqual({ hello: 'world' });
    await live.close();
  });

  it.runIf(redisUrl)('carries events between two emitters through Redis', async () => {
    const a = createLiveEvents({ redisUrl });
    const b = createLiveEvents({ redisUrl });
    const topic = `t/${Math.random().toString(36).slice(2)}`;
    const got = new Promise<unknown>((resolve) => {
      b.emitter.on(topic, (message, done) => {
        resolve(message.payload);
        done();
      });
    });
    // Until b's SUBSCRIBE reaches Redis, a publish may go unheard: repeat until one arrives.
    let received: unknown;
    void got.then((v) => (received = v));
    for (let i = 0; i < 50 && received === undefined; i++) {
      await a.publish(topic, { n: 1 });
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await got).toEqual({ n: 1 });
    await Promise.all([a.close(), b.close()]);
  });

  it('closes without waiting forever when Redis cannot be reached', async () => {
    const live = createLiveEvents({ redisUrl: 'redis://127.0.0.1:1' });
    const started = Date.now();
    await live.publish('t/x', {});
    // A message's request does not wait for a Redis that is down.
    expect(Date.now() - started).toBeLessThan(500);
    await live.close();
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
