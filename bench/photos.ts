import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { sparePort } from '../test/kit/instances.js';
import { startServer, type ChildServer } from './child-servers.js';
import { freshDatabase } from './db.js';

/**
 * `npm run bench -- --only photos`: a 12-megapixel JPEG (4000 × 3000, made here with sharp:
 * gradients, shapes and grain, with EXIF GPS tags) uploaded to a place and followed until its
 * three variants are ready. Twice: in production mode (PostgreSQL, Redis, `serve` taking the
 * uploads and a `worker` process making the variants, both on one DATA_DIR/media) and in
 * embedded mode (one `serve` process: PGlite, the uploads and the processing). The uploads
 * are sent by curl (native, one process per upload, all of a round at once), and the photo
 * list is polled every POLL_MS to see each photo turn `ready`.
 *  - 1 at a time (BENCH_PHOTO_SINGLE uploads): p50 / p95 from the start of the upload to ready;
 *  - 4 at once (BENCH_PHOTO_ROUNDS rounds): the same; target p95 ≤ 2 s;
 *  - 20 at once (BENCH_PHOTO_BURST): the same, and each process's peak RSS (the highest of
 *    VmRSS polled every 20 ms and the kernel's VmHWM), target ≤ 512 MiB.
 * The run fails when an upload is not accepted or a photo does not end ready; the targets
 * are reported, judged on the production run.
 */

export interface PhotoBenchSettings {
  singles: number;
  rounds: number;
  burst: number;
  /** PostgreSQL for the production run (created afresh), and Redis (a key prefix of its own). */
  databaseUrl: string;
  redisUrl: string;
}

export const photoBenchSettings = (
  env: NodeJS.ProcessEnv,
  int: (name: string, fallback: number) => number,
): PhotoBenchSettings => ({
  singles: int('BENCH_PHOTO_SINGLE', 10),
  rounds: int('BENCH_PHOTO_ROUNDS', 5),
  burst: int('BENCH_PHOTO_BURST', 20),
  databaseUrl: env.BENCH_PHOTO_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/staylane_photos_bench',
  redisUrl: env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
});

const POLL_MS = 25;
const READY_TIMEOUT_MS = 120_000;

/** A 4000 × 3000 photo-like JPEG with GPS tags, as a phone would send. */
async function twelveMegapixels(): Promise<Buffer> {
  const [w, h] = [4000, 3000];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#3a6ea5"/><stop offset="1" stop-color="#f4c27a"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="2900" cy="700" r="380" fill="#ffe9a8"/>
    <polygon points="0,2100 900,1500 1800,1900 2700,1400 4000,2000 4000,3000 0,3000" fill="#42693a"/>
    <rect x="1500" y="1900" width="1100" height="700" fill="#e8e0d0"/>
    <polygon points="1400,1900 2050,1400 2700,1900" fill="#9a3b2c"/>
  </svg>`;
  const grain = await sharp({
    create: {
      width: w,
      height: h,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 18 },
    },
  })
    .raw()
    .toBuffer();
  const flat = await sharp(Buffer.from(svg))
    .composite([{ input: grain, raw: { width: w, height: h, channels: 3 }, blend: 'soft-light' }])
    .jpeg({ quality: 92 })
    .toBuffer();
  return sharp(flat)
    .jpeg({ quality: 92 })
    .withExif({
      IFD0: { Make: 'Bench', Model: 'Phone' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '38/1 42/1 50/1', GPSLongitudeRef: 'W', GPSLongitude: '9/1 8/1 20/1' },
    })
    .toBuffer();
}

interface Api {
  origin: string;
  auth: string;
}

async function call<T>(api: Api, method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(`${api.origin}${url}`, {
    method,
    headers: { authorization: api.auth, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function newPlace(api: Api, n: number): Promise<string> {
  const place = await call<{ id: string }>(api, 'POST', '/v1/properties', {
    title: `Bench place ${n}`,
    propertyType: 'house',
    address: { line1: '1 Bench Street', city: 'Lisbon', country: 'PT' },
    latitude: 38.7,
    longitude: -9.1,
    timezone: 'Europe/Lisbon',
    currency: 'EUR',
    nightlyPrice: 10_000,
    maxGuests: 4,
    status: 'listed',
  });
  return place.id;
}

/** One upload by curl: the accepted photo's id and when the upload started. */
function curlUpload(api: Api, placeId: string, file: string): Promise<{ id: string; startedAt: number }> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const child = spawn(
      'curl',
      [
        '-sS',
        '-w',
        '\n%{http_code}',
        '-H',
        `Authorization: ${api.auth}`,
        '-F',
        `file=@${file};type=image/jpeg`,
        `${api.origin}/v1/properties/${placeId}/photos`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('exit', () => {
      const lines = out.trim().split('\n');
      const status = lines.pop();
      if (status !== '202') return reject(new Error(`upload answered ${status}: ${lines.join(' ').slice(0, 300)}`));
      resolve({ id: (JSON.parse(lines.join('\n')) as { id: string }).id, startedAt });
    });
  });
}

/** Uploads `count` at once to the place; the time from each upload's start to its photo ready. */
async function round(api: Api, placeId: string, file: string, count: number): Promise<number[]> {
  const started = Array.from({ length: count }, () => curlUpload(api, placeId, file));
  const uploads = await Promise.all(started);
  const pending = new Map(uploads.map((u) => [u.id, u.startedAt]));
  const times: number[] = [];
  const deadline = performance.now() + READY_TIMEOUT_MS;
  while (pending.size > 0) {
    if (performance.now() > deadline) throw new Error(`${pending.size} photos not ready after ${READY_TIMEOUT_MS} ms`);
    const list = await call<{ data: { id: string; status: string; failureReason: string | null }[] }>(
      api,
      'GET',
      `/v1/properties/${placeId}/photos`,
    );
    const now = performance.now();
    for (const photo of list.data) {
      const start = pending.get(photo.id);
      if (start === undefined) continue;
      if (photo.status === 'failed') throw new Error(`photo failed: ${photo.failureReason}`);
      if (photo.status === 'ready') {
        times.push(now - start);
        pending.delete(photo.id);
      }
    }
    if (pending.size > 0) await sleep(POLL_MS);
  }
  return times;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

async function statusOf(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return kb * 1024;
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
const s = (ms: number) => (ms / 1000).toFixed(2);

interface ModeResult {
  single: number[];
  four: number[];
  burst: number[];
  rss: { name: string; before: number; peak: number }[];
}

async function measure(
  mode: 'production' | 'embedded',
  settings: PhotoBenchSettings,
  root: string,
  work: string,
  file: string,
  log: (line: string) => void,
): Promise<ModeResult> {
  const processes: ChildServer[] = [];
  try {
    const port = await sparePort();
    const common = {
      DATA_DIR: path.join(work, `data-${mode}`),
      HOST: '127.0.0.1',
      JWT_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '1000000',
      AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
      PHOTO_UPLOADS_PER_DAY: '100000',
    };
    const production: Record<string, string> =
      mode === 'production'
        ? {
            NODE_ENV: 'production',
            DATABASE_URL: settings.databaseUrl,
            REDIS_URL: settings.redisUrl,
            REDIS_KEY_PREFIX: `photos-bench-${randomBytes(4).toString('hex')}:`,
            PAYMENT_WEBHOOK_SECRET: randomBytes(32).toString('hex'),
          }
        : {};
    if (mode === 'production') await freshDatabase(settings.databaseUrl);
    processes.push(
      await startServer({
        name: `serve (${mode})`,
        cwd: root,
        script: 'dist/composition/main.js',
        args: ['serve'],
        env: { ...common, ...production, PORT: String(port) },
        port,
        readyPath: '/healthz',
        logFile: path.join(work, `serve-${mode}.log`),
      }),
    );
    if (mode === 'production') {
      const workerPort = await sparePort();
      processes.push(
        await startServer({
          name: 'worker',
          cwd: root,
          script: 'dist/composition/main.js',
          args: ['worker'],
          env: { ...common, ...production, WORKER_PORT: String(workerPort) },
          port: workerPort,
          readyPath: '/healthz',
          logFile: path.join(work, 'worker.log'),
        }),
      );
    }
    const origin = processes[0]!.origin;
    const email = `bench-${randomBytes(4).toString('hex')}@example.com`;
    const registered = await fetch(`${origin}/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email,
        password: 'bench password 1234',
        firstName: 'Bench',
        lastName: 'Host',
        role: 'host',
      }),
    });
    if (!registered.ok) throw new Error(`register: ${registered.status} ${await registered.text()}`);
    const api: Api = { origin, auth: `Bearer ${((await registered.json()) as { accessToken: string }).accessToken}` };

    // Warm-up: the first decode loads libvips' code.
    await round(api, await newPlace(api, 0), file, 2);

    log(`photos (${mode}): ${settings.singles} uploads one at a time`);
    const single: number[] = [];
    const singlePlace = await newPlace(api, 1);
    for (let i = 0; i < settings.singles; i++) single.push(...(await round(api, singlePlace, file, 1)));

    log(`photos (${mode}): ${settings.rounds} rounds of 4 at once`);
    const four: number[] = [];
    for (let r = 0; r < settings.rounds; r++) four.push(...(await round(api, await newPlace(api, 10 + r), file, 4)));

    log(`photos (${mode}): ${settings.burst} at once`);
    const pids = processes.map((p) => ({ name: p.name, pid: p.pid! }));
    const logOf = (name: string) => path.join(work, name === 'worker' ? 'worker.log' : `serve-${mode}.log`);
    const rssOf = (p: { name: string; pid: number }) =>
      statusOf(p.pid, 'VmRSS').catch(async () => {
        const tail = (await readFile(logOf(p.name), 'utf8').catch(() => '')).split('\n').slice(-20).join('\n');
        throw new Error(`${p.name} (pid ${p.pid}) is gone; the end of its log:\n${tail}`);
      });
    const before = await Promise.all(pids.map(rssOf));
    const peaks = [...before];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const now = await Promise.all(pids.map(rssOf));
        now.forEach((v, i) => (peaks[i] = Math.max(peaks[i]!, v)));
        await sleep(20);
      }
    })();
    const burst = await round(api, await newPlace(api, 100), file, settings.burst);
    sampling = false;
    await sampler;
    const hwm = await Promise.all(pids.map((p) => statusOf(p.pid, 'VmHWM')));
    return {
      single,
      four,
      burst,
      rss: pids.map((p, i) => ({ name: p.name, before: before[i]!, peak: Math.max(peaks[i]!, hwm[i]!) })),
    };
  } finally {
    for (const p of processes.reverse()) await p.stop();
  }
}

function table(result: ModeResult, burst: number): string[] {
  const line = (n: number, xs: number[], target = '') =>
    `| ${n} | ${xs.length} | ${s(percentile(xs, 50))} s | ${s(percentile(xs, 95))} s | ${s(Math.max(...xs))} s | ${target} |`;
  return [
    `| uploads at once | photos | p50 | p95 | max | target |`,
    `|---|---|---|---|---|---|`,
    line(1, result.single),
    line(4, result.four, 'p95 ≤ 2 s'),
    line(burst, result.burst),
    '',
    `RSS with ${burst} uploads at once (before → peak): ${result.rss
      .map((r) => `${r.name} ${mib(r.before)} → **${mib(r.peak)} MiB**`)
      .join(', ')} (target ≤ 512 MiB).`,
  ];
}

export async function photosBench(
  settings: PhotoBenchSettings,
  root: string,
  log: (line: string) => void,
): Promise<{ markdown: string; failure?: string }> {
  const work = await mkdtemp(path.join(tmpdir(), 'staylane-photos-bench-'));
  try {
    log('photos: making a 12-megapixel JPEG');
    const file = path.join(work, 'photo-12mp.jpg');
    const jpeg = await twelveMegapixels();
    await writeFile(file, jpeg);
    const meta = await sharp(jpeg).metadata();
    const production = await measure('production', settings, root, work, file, log);
    const embedded = await measure('embedded', settings, root, work, file, log);
    const markdown = [
      `## Staylane benchmark (photos), ${new Date().toISOString().slice(0, 16)}Z`,
      '',
      `Node ${process.version} · ${availableParallelism()} CPUs · uploads by curl on the same machine · PHOTO_PROCESSING_CONCURRENCY 2 (default)`,
      '',
      `A ${meta.width} × ${meta.height} JPEG of ${(jpeg.length / 1024 / 1024).toFixed(1)} MiB (with EXIF GPS), from the start of its upload to its three WebP variants ready (the list polled every ${POLL_MS} ms).`,
      '',
      '### Production mode: PostgreSQL, Redis, `serve` + one `worker`',
      '',
      ...table(production, settings.burst),
      '',
      '### Embedded mode: one `serve` process (PGlite, uploads and processing)',
      '',
      ...table(embedded, settings.burst),
    ].join('\n');
    const p95 = percentile(production.four, 95);
    const peak = Math.max(...production.rss.map((r) => r.peak));
    const failures = [
      ...(p95 > 2000 ? [`production p95 with 4 at once ${s(p95)} s > 2 s`] : []),
      ...(peak > 512 * 1024 * 1024 ? [`production peak RSS ${mib(peak)} MiB > 512 MiB`] : []),
    ];
    return { markdown, ...(failures.length > 0 && { failure: failures.join('; ') }) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
