import { afterAll, beforeAll, expect, it } from 'vitest';
import { FuzzTarget, fuzzContract, summaryLine, targetLines, type FuzzReport } from './contract.js';
import { fuzzSocket, socketKindLines, socketSummary, SOCKET_CONTRACT, type SocketReport } from './socket.js';

/**
 * The contract fuzzer on a short budget; `npm run fuzz` runs the same with 100,000
 * requests and 10,000 socket frames. FUZZ_RUNS sets the number of requests, FUZZ_FRAMES
 * the number of WebSocket frames (a tenth of FUZZ_RUNS unless set), FUZZ_SEED replays a run.
 */
const requests = Number(process.env.FUZZ_RUNS ?? 700);
const frames = Number(process.env.FUZZ_FRAMES ?? (process.env.FUZZ_RUNS ? Math.ceil(requests / 10) : 400));
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

let target: FuzzTarget;
let http: FuzzReport | undefined;
let socket: SocketReport | undefined;
beforeAll(async () => {
  target = await FuzzTarget.create();
});
afterAll(async () => {
  // One line for both transports: requests and frames, and the failures of each.
  const parts = [http && summaryLine(http), socket && socketSummary(socket)].filter(Boolean);
  if (parts.length) console.log(parts.join(' | '));
  await target.close();
});

it(
  'answers every generated REST and GraphQL request within the documented contract',
  async () => {
    http = await fuzzContract(target, { requests, seed });
    if (process.env.FUZZ_VERBOSE) console.log(targetLines(http).join('\n'));
    expect(http.failures).toEqual([]);
    // Every status a route answered is one its OpenAPI description lists.
    expect([...http.undocumented].sort()).toEqual([]);
    expect(http.requests).toBeGreaterThanOrEqual(requests);
  },
  // Room for about 20 ms a request (argon2 on register/login dominates) plus set-up.
  60_000 + requests * 20,
);

it(
  'holds the GraphQL WebSocket to the graphql-transport-ws contract under generated and hostile frames',
  async () => {
    socket = await fuzzSocket(target, { frames, seed });
    if (process.env.FUZZ_VERBOSE) console.log(socketKindLines(socket).join('\n'));
    // The transcripts (frames sent, what came back) in full; the assertion lists the checks.
    if (socket.failures.length) console.log(socket.failures.join('\n\n'));
    expect(socket.failures.map((f) => f.split('\n')[0])).toEqual([]);
    expect(socket.framesSent).toBeGreaterThanOrEqual(frames);
    if (socket.heapGrowthBytes !== undefined) {
      expect(socket.heapGrowthBytes).toBeLessThan(SOCKET_CONTRACT.maxHeapGrowthBytes);
    }
  },
  // The init-timeout case waits 10 s; generated cases take a few ms a frame, more on a busy machine.
  60_000 + frames * 50,
);
