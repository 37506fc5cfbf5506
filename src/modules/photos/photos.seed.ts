import { createHash } from 'node:crypto';
import { createRandom, deriveSeed, type Random } from '../../platform/seeding/random.js';
import { DAY_MS, writeInBatches, type SeedRun } from '../../platform/seeding/run.js';
import type { PropertiesSeeded, SeededPlace } from '../properties/index.js';
import { MAX_PHOTOS_PER_PLACE } from './photos.errors.js';
import { loadSharp, makeVariants } from './photos.image.js';
import { analyzePhotos, insertSeedPhotos, type SeedPoolImage } from './photos.repository.js';
import { variantKey } from './photos.schemas.js';

export interface PhotosSeeded {
  counts: { photos?: number };
  summary: string;
}

/** Photos per place when `--photos` is not given: in a demo seed, a few; otherwise none. */
export const DEMO_PHOTOS_PER_PLACE = 3;
/** Distinct images, made once per run and shared by every place's rows. */
const POOL_SIZE = 8;
const POOL_WIDTH = 1920;
const POOL_HEIGHT = 1280;

const CAPTIONS = [
  'Living room in the morning light',
  'The bedroom',
  'View from the terrace',
  'Kitchen and dining table',
  'The street outside',
  'Garden at dusk',
  null,
  null,
];

type PoolImage = SeedPoolImage;

const number = new Intl.NumberFormat('en-US');

/**
 * Photos for the seeded places: a small pool of photo-like images (a sky, hills, a house,
 * water; gradients and shapes drawn by sharp, nothing downloaded) is made once, its
 * variants stored once under `shared/<sha256>`, and every place's rows point at those keys,
 * so 100,000 places cost rows, not images. `counts.photos` is photos per place (at most 50).
 */
export async function seedPhotos(run: SeedRun, properties: Pick<PropertiesSeeded, 'places'>): Promise<PhotosSeeded> {
  const perPlace = Math.min(run.counts.photos ?? (run.demo ? DEMO_PHOTOS_PER_PLACE : 0), MAX_PHOTOS_PER_PLACE);
  if (!Number.isInteger(perPlace) || perPlace < 0) throw new RangeError('photos must be a non-negative integer');
  const places = properties.places;
  if (!run.files || perPlace === 0 || places.length === 0) return { counts: {}, summary: '' };

  run.progress({ phase: 'photos', done: 0, total: places.length });
  const pool = await makePool(run, Math.min(POOL_SIZE, places.length * perPlace));
  const rng = createRandom(deriveSeed(run.seed, 41));
  // Places in batches of many: each batch is one statement, its rows made by the database.
  const batchSize = run.batchSize * 5;
  let done = 0;
  await writeInBatches(placeBatches(places), batchSize, run.concurrency, async (batch) => {
    await insertSeedPhotos(run.db, {
      places: batch.map((p) => ({
        id: p.id,
        createdAt: new Date(p.createdAtMs + DAY_MS / 24),
        first: rng.int(0, pool.length - 1),
      })),
      perPlace,
      pool,
      captions: CAPTIONS,
    });
    done += batch.length;
    run.progress({ phase: 'photos', done, total: places.length });
  });
  await analyzePhotos(run.db);
  const written = places.length * perPlace;
  return {
    counts: { photos: written },
    summary: `${number.format(written)} photos (${number.format(pool.length)} distinct images)`,
  };
}

async function* placeBatches(places: readonly SeededPlace[]): AsyncGenerator<SeededPlace> {
  yield* places;
}

/** The pool: each image drawn, processed like an upload, and its variants stored once. */
async function makePool(run: SeedRun, size: number): Promise<PoolImage[]> {
  const sharp = await loadSharp();
  const rng = createRandom(deriveSeed(run.seed, 40));
  const pool: PoolImage[] = [];
  for (let i = 0; i < size; i++) {
    const png = await sharp(Buffer.from(scene(rng, i)))
      .png({ compressionLevel: 1 })
      .toBuffer();
    const processed = await makeVariants(png);
    const keyPrefix = `shared/${createHash('sha256').update(png).digest('hex')}`;
    for (const v of processed.variants) {
      await run.files!.put(variantKey(keyPrefix, v.width), v.data, { contentType: 'image/webp', immutable: true });
    }
    pool.push({ keyPrefix, width: processed.width, height: processed.height, blurhash: processed.blurhash });
  }
  return pool;
}

/** A landscape of gradients and shapes: sky, sun, hills, a house, water, with its own colours. */
function scene(rng: Random, index: number): string {
  const hue = (index * 47 + rng.int(0, 40)) % 360;
  const hsl = (h: number, s: number, l: number) => `hsl(${Math.round(h) % 360},${s}%,${l}%)`;
  const w = POOL_WIDTH;
  const h = POOL_HEIGHT;
  const horizon = Math.round(h * (0.5 + rng.next() * 0.15));
  const hill = (base: number, amp: number, color: string) => {
    const points = Array.from({ length: 9 }, (_, k) => `${(k * w) / 8},${base - rng.next() * amp}`).join(' ');
    return `<polygon points="0,${h} ${points} ${w},${h}" fill="${color}"/>`;
  };
  const houseX = rng.int(200, w - 700);
  const houseY = horizon + rng.int(40, 140);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="${hsl(hue + 200, 60, 35)}"/>
      <stop offset="1" stop-color="${hsl(hue + 20, 80, 75)}"/>
    </linearGradient>
    <linearGradient id="sea" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="${hsl(hue + 190, 55, 45)}"/>
      <stop offset="1" stop-color="${hsl(hue + 210, 60, 20)}"/>
    </linearGradient>
    <radialGradient id="sun"><stop offset="0" stop-color="#fff8d0"/><stop offset="1" stop-color="#ffd27a" stop-opacity="0"/></radialGradient>
  </defs>
  <rect width="${w}" height="${h}" fill="url(#sky)"/>
  <circle cx="${rng.int(200, w - 200)}" cy="${rng.int(120, horizon - 200)}" r="${rng.int(120, 220)}" fill="url(#sun)"/>
  ${hill(horizon, 260, hsl(hue + 110, 25, 40))}
  ${hill(horizon + 80, 160, hsl(hue + 100, 35, 30))}
  <rect x="0" y="${h - 220}" width="${w}" height="220" fill="url(#sea)"/>
  <rect x="${houseX}" y="${houseY}" width="420" height="260" fill="${hsl(hue + 30, 30, 85)}"/>
  <polygon points="${houseX - 30},${houseY} ${houseX + 210},${houseY - 170} ${houseX + 450},${houseY}" fill="${hsl(hue + 5, 55, 40)}"/>
  <rect x="${houseX + 60}" y="${houseY + 70}" width="90" height="80" fill="${hsl(hue + 50, 70, 70)}"/>
  <rect x="${houseX + 270}" y="${houseY + 70}" width="90" height="80" fill="${hsl(hue + 50, 70, 70)}"/>
  <rect x="${houseX + 175}" y="${houseY + 130}" width="70" height="130" fill="${hsl(hue + 15, 40, 30)}"/>
</svg>`;
}
