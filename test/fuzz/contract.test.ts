import { afterAll, beforeAll, expect, it } from 'vitest';
import { FuzzTarget, fuzzContract, summaryLine, targetLines } from './contract.js';

/**
 * The contract fuzzer on a short budget; `npm run fuzz` runs the same with 100,000
 * requests. FUZZ_RUNS sets the number of requests, FUZZ_SEED replays a run.
 */
const requests = Number(process.env.FUZZ_RUNS ?? 700);
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

let target: FuzzTarget;
beforeAll(async () => {
  target = await FuzzTarget.create();
});
afterAll(() => target.close());

it(
  'answers every generated REST and GraphQL request within the documented contract',
  async () => {
    const report = await fuzzContract(target, { requests, seed });
    console.log(summaryLine(report));
    if (process.env.FUZZ_VERBOSE) console.log(targetLines(report).join('\n'));
    expect(report.failures).toEqual([]);
    // Every status a route answered is one its OpenAPI description lists.
    expect([...report.undocumented].sort()).toEqual([]);
    expect(report.requests).toBeGreaterThanOrEqual(requests);
  },
  // Room for about 20 ms a request (argon2 on register/login dominates) plus set-up.
  60_000 + requests * 20,
);
