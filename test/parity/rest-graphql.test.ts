import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { AnyModule } from '../../src/module.js';
import { MODULES } from '../../src/modules/index.js';
import { useTestApp } from '../helpers.js';
import {
  app,
  missingFields,
  normalise,
  useParityApp,
  withoutUnselectedPhotos,
  withoutAbsent,
  World,
  type Scenario,
} from './kit.js';

/**
 * REST and GraphQL do the same thing: each scenario runs once through REST and once through
 * GraphQL, each time on fresh data of its own, and must give the same answer (field by
 * field, once ids and instants are named rather than compared) and leave the same rows
 * behind. Reads run both transports on the same data and compare exactly. A capability is
 * one scenario of its module's src/modules/<name>/__tests__/parity.scenarios.ts; failures are
 * compared in test/transport-parity.test.ts.
 *
 * Deliberate differences, normalised here and checked in `deliberate differences`:
 * - GraphQL lists are Relay connections (`edges`, `pageInfo.endCursor`, also on the last
 *   page); REST's are `{ data, page: { nextCursor (null on the last page), hasMore } }`.
 *   The cursors are the same strings, interchangeable between the transports.
 * - Money sums that may pass 2^31 − 1 minor units are `Float` in GraphQL (its `Int` is 32
 *   bits); REST's JSON integers carry the same values.
 * - Deleting answers 204 over REST and `true` over GraphQL.
 * - GraphQL adds batch-loaded relations and nested lists (RELATIONS); REST has their ids only,
 *   but for a review's `author`, which REST embeds in review lists (not in the answers of
 *   createReview and respondToReview): the list scenario selects it over GraphQL.
 * - A second startConversation about the same place answers 200 over REST (201 when it opens
 *   the conversation); GraphQL answers the same conversation either way, with no such mark.
 * - `GET /v1/reviews/{id}` has no GraphQL query: reviews are reached there through
 *   `Property.reviews` and `Booking.review`.
 * - REST carries a place's `photos` in the answer about one place only; GraphQL's
 *   `Property.photos` is a relation (RELATIONS), compared in the photos module's scenarios.
 * - `saved` on places is left out of REST answers to anonymous callers and null in GraphQL's
 *   (ABSENT_WHEN_NULL).
 * - REST answers a wishlist's detail with a page of its places (`places: { data, page }`);
 *   GraphQL pages them on `Wishlist.places(first, after)`, a connection.
 */

useParityApp(useTestApp());

const SRC = path.resolve(import.meta.dirname, '../../src');

/**
 * Every module's scenarios, in the modules' order. A module with routes or a GraphQL part must
 * have its scenario file (an empty list, saying why, when the transports share nothing).
 */
async function loadScenarios(): Promise<Scenario[]> {
  const all: Scenario[] = [];
  for (const module of MODULES as readonly AnyModule[]) {
    if (!module.routes && !module.graphql) continue;
    const file = path.join(SRC, 'modules', module.name, '__tests__', 'parity.scenarios.ts');
    if (!existsSync(file)) {
      throw new Error(`Module ${module.name} has routes or GraphQL but no ${path.relative(SRC, file)}`);
    }
    const loaded = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as { scenarios?: unknown };
    if (!Array.isArray(loaded.scenarios)) throw new Error(`${path.relative(SRC, file)} exports no \`scenarios\` list`);
    all.push(...(loaded.scenarios as Scenario[]));
  }
  return all;
}

const SCENARIOS = await loadScenarios();

interface Run {
  answer: unknown;
  stored: unknown;
  world: World;
}

async function runOnce(s: Scenario, world: World, call: (w: World) => Promise<unknown>): Promise<Run> {
  const answer = await call(world);
  const stored = s.stored ? await s.stored(world, answer as never) : null;
  return { answer, stored, world };
}

describe('REST and GraphQL do the same', () => {
  it.each(SCENARIOS)('$name', async (s) => {
    let restRun: Run;
    let gqlRun: Run;
    if (s.kind === 'read') {
      const world = new World();
      await s.setup(world);
      restRun = await runOnce(s, world, s.rest);
      gqlRun = await runOnce(s, world, s.graphql);
      restRun.answer = withoutUnselectedPhotos(restRun.answer, gqlRun.answer);
      expect(withoutAbsent(gqlRun.answer)).toEqual(withoutAbsent(restRun.answer));
    } else {
      const [restWorld, gqlWorld] = [new World(), new World()];
      await s.setup(restWorld);
      await s.setup(gqlWorld);
      restRun = await runOnce(s, restWorld, s.rest);
      gqlRun = await runOnce(s, gqlWorld, s.graphql);
      restRun.answer = withoutUnselectedPhotos(restRun.answer, gqlRun.answer);
    }
    const restAnswer = normalise(restRun.answer, restRun.world);
    const gqlAnswer = normalise(gqlRun.answer, gqlRun.world);
    // Every field of one is in the other, with the same value.
    expect(missingFields(restAnswer, gqlAnswer)).toEqual([]);
    expect(gqlAnswer).toEqual(restAnswer);
    expect(normalise(gqlRun.stored, gqlRun.world)).toEqual(normalise(restRun.stored, restRun.world));
  });

  it('covers every GraphQL operation but those compared elsewhere', () => {
    const schema = app().graphql.schema;
    const operations = [schema.getQueryType(), schema.getMutationType()].flatMap((t) =>
      Object.keys(t?.getFields() ?? {}),
    );
    const covered = new Set(SCENARIOS.map((s) => s.name.split(/[ ,:]/)[0]));
    // E-mailed tokens are compared in the users module's tests; unblockDates and payment are
    // the inverse and the read-back of scenarios above.
    const elsewhere = ['verifyEmail', 'requestPasswordReset', 'confirmPasswordReset', 'unblockDates', 'payment'];
    expect(operations.filter((op) => !covered.has(op) && !elsewhere.includes(op))).toEqual([]);
  });

  it('deliberate differences: money sums GraphQL declares Float hold the integers REST sends', () => {
    const schema = app().graphql.schema;
    const typeOf = (type: string, field: string) => {
      const t = schema.getType(type);
      return isObjectType(t) ? String(t.getFields()[field]?.type) : undefined;
    };
    expect({
      subtotal: typeOf('PriceBreakdown', 'subtotal'),
      discount: typeOf('PriceBreakdown', 'discount'),
      serviceFee: typeOf('PriceBreakdown', 'serviceFee'),
      total: typeOf('PriceBreakdown', 'total'),
      refundAmount: typeOf('Booking', 'refundAmount'),
    }).toEqual({
      subtotal: 'Float!',
      discount: 'Float!',
      serviceFee: 'Float!',
      total: 'Float!',
      refundAmount: 'Float',
    });
  });
});
