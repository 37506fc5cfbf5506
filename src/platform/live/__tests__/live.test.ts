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
    const theirsToo = createLiveEvents({ redisUrl, prefix: `test:${run}:b:` });
    const heard: unknown[] = [];
    const listener = (message: Message, done: () => void) => {
      heard.push(message.payload);
      done();
    };
    const heardByThem: unknown[] = [];
    const subscribe = (live: typeof mine, topic: string, into: unknown[]) =>
      new Promise<void>((resolve) =>
        live.emitter.on(
          topic,
          (message: Message, done: () => void) => {
            into.push(message.payload);
            done();
          },
          () => resolve(),
        ),
      );
    await new Promise<void>((resolve) => mine.emitter.on('t/1', listener, () => resolve()));
    await subscribe(theirsToo, 't/1', heardByThem);
    /** Publishes until `into` holds `payload` (a SUBSCRIBE may reach Redis after it is acknowledged). */
    const deliver = async (live: typeof mine, topic: string, payload: { n: string }, into: unknown[]) => {
      for (let i = 0; i < 100 && !into.some((p) => (p as { n: string }).n === payload.n); i++) {
        await live.publish(topic, payload);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(into).toContainEqual(payload);
    };

    // Their event has reached Redis and their own subscriber; then ours is published. Redis
    // hands a subscriber its messages in the order it took the publishes, so once ours
    // arrives, theirs would have arrived before it had it been on our channel.
    await deliver(theirs, 't/1', { n: 'b' }, heardByThem);
    await deliver(alsoMine, 't/1', { n: 'a' }, heard);
    expect(heard.every((p) => (p as { n: string }).n === 'a')).toBe(true);

    // A listener removed by its topic hears nothing more: t/1 goes out before a barrier on
    // t/2 from the same publisher, and the barrier arrives.
    await new Promise<void>((resolve) => mine.emitter.removeListener('t/1', listener as never, () => resolve()));
    const barrier: unknown[] = [];
    await subscribe(mine, 't/2', barrier);
    const before = heard.length;
    await alsoMine.publish('t/1', { n: 'a-after' });
    await deliver(alsoMine, 't/2', { n: 'barrier' }, barrier);
    expect(heard.length).toBe(before);
    await Promise.all([mine.close(), alsoMine.close(), theirs.close(), theirsToo.close()]);
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
