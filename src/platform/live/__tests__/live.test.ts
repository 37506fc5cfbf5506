import { describe, expect, it } from 'vitest';
import type { Message } from 'mqemitter';
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

  it.runIf(redisUrl)('keeps deployments with different prefixes apart on one Redis', async () => {
    const run = Math.random().toString(36).slice(2);
    const mine = createLiveEvents({ redisUrl, prefix: `test:${run}:a:` });
    const alsoMine = createLiveEvents({ redisUrl, prefix: `test:${run}:a:` });
    const theirs = createLiveEvents({ redisUrl, prefix: `test:${run}:b:` });
    const heard: unknown[] = [];
    const listener = (message: Message, done: () => void) => {
      heard.push(message.payload);
      done();
    };
    await new Promise<void>((resolve) => mine.emitter.on('t/1', listener, () => resolve()));
    // The other deployment's events never arrive; ours do (repeated until the SUBSCRIBE is in).
    for (let i = 0; i < 50 && !heard.some((p) => (p as { from: string }).from === 'a'); i++) {
      await theirs.publish('t/1', { from: 'b' });
      await alsoMine.publish('t/1', { from: 'a' });
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(heard.length).toBeGreaterThan(0);
    expect(heard.every((p) => (p as { from: string }).from === 'a')).toBe(true);
    // And a listener removed by its topic hears nothing more.
    await new Promise<void>((resolve) => mine.emitter.removeListener('t/1', listener as never, () => resolve()));
    const before = heard.length;
    await alsoMine.publish('t/1', { from: 'a' });
    await new Promise((r) => setTimeout(r, 100));
    expect(heard.length).toBe(before);
    await Promise.all([mine.close(), alsoMine.close(), theirs.close()]);
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
