import { describe, expect, it } from 'vitest';
import { arrayLiteral, createBatcher } from '../batch.js';

describe('createBatcher', () => {
  it('flushes a lone call at once and the calls made during a flush together in the next', async () => {
    const flushes: number[][] = [];
    let release: (() => void) | undefined;
    const double = createBatcher(async (items: readonly number[]) => {
      flushes.push([...items]);
      if (flushes.length === 1) await new Promise<void>((r) => (release = r));
      return items.map((n) => n * 2);
    });
    const first = double(1);
    await new Promise((r) => setTimeout(r, 10));
    expect(flushes).toEqual([[1]]);
    const later = [double(2), double(3), double(4)];
    await new Promise((r) => setTimeout(r, 10));
    expect(flushes).toHaveLength(1);
    release!();
    expect(await first).toBe(2);
    expect(await Promise.all(later)).toEqual([4, 6, 8]);
    expect(flushes).toEqual([[1], [2, 3, 4]]);
  });

  it('rejects every call of a failed flush, and only those', async () => {
    let fail = true;
    const echo = createBatcher(async (items: readonly string[]) => {
      if (fail) {
        fail = false;
        throw new Error('flush failed');
      }
      return items;
    });
    const failed = [echo('a'), echo('b')];
    await expect(Promise.all(failed)).rejects.toThrow('flush failed');
    await expect(failed[1]).rejects.toThrow('flush failed');
    expect(await echo('c')).toBe('c');
  });

  it('splits a long queue into batches of at most maxBatch', async () => {
    const sizes: number[] = [];
    const id = createBatcher(
      async (items: readonly number[]) => {
        sizes.push(items.length);
        return items;
      },
      { maxBatch: 3 },
    );
    expect(await Promise.all([1, 2, 3, 4, 5, 6, 7].map(id))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(sizes).toEqual([3, 3, 1]);
  });
});

describe('arrayLiteral', () => {
  it('quotes every element, so commas, quotes, backslashes and NULL stay text', () => {
    expect(arrayLiteral(['a,b', 'say "hi"', 'back\\slash', 'NULL', '{x}'])).toBe(
      '{"a,b","say \\"hi\\"","back\\\\slash","NULL","{x}"}',
    );
  });
});
