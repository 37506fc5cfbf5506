import { open } from 'node:fs/promises';
import { encode } from 'blurhash';
import type Sharp from 'sharp';

/**
 * Everything this module does with pixels: reading the type from the first bytes, the size
 * from the header (before anything is decoded), and the processing job's variants and
 * placeholder. sharp (libvips) is told to use one thread per image; how many images run
 * at once is the caller's limit (see createLimiter).
 */

export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

/** The widths of the variants: `small`, `medium`, `large`. */
export const VARIANT_WIDTHS = { small: 320, medium: 960, large: 1920 } as const;
const WIDTHS = Object.values(VARIANT_WIDTHS);

export const MAX_PIXELS = 50_000_000;
/** The longer side at least 800 and the shorter at least 600 (a portrait photo is fine). */
export const MIN_LONG_SIDE = 800;
export const MIN_SHORT_SIDE = 600;

let loaded: Promise<typeof Sharp> | undefined;
/**
 * sharp, loaded on first use (start-up does not pay for libvips), with one libvips thread
 * per image and no operation cache: memory follows the images at work, nothing more.
 */
export function loadSharp(): Promise<typeof Sharp> {
  return (loaded ??= import('sharp').then(({ default: sharp }) => {
    sharp.concurrency(1);
    sharp.cache(false);
    return sharp;
  }));
}

/** The type the bytes say, whatever the client claimed: JPEG, PNG or WebP, else undefined. */
export function sniffImageType(head: Uint8Array): ImageType | undefined {
  const at = (i: number, ...bytes: number[]) => bytes.every((b, j) => head[i + j] === b);
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  return undefined;
}

/** The first `n` bytes of a file. */
export async function readHead(file: string, n = 16): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(n), 0, n, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * The size an image declares in its header, as displayed (a JPEG's EXIF orientation
 * applied); nothing is decoded, so a small file that declares 20,000 × 20,000 costs nothing.
 * Undefined when the header cannot be read (the job then fails the photo).
 */
export async function readDeclaredSize(file: string): Promise<{ width: number; height: number } | undefined> {
  const sharp = await loadSharp();
  try {
    const meta = await sharp(file, { limitInputPixels: false }).metadata();
    if (!meta.width || !meta.height) return undefined;
    const turned = (meta.orientation ?? 1) >= 5;
    return turned ? { width: meta.height, height: meta.width } : { width: meta.width, height: meta.height };
  } catch {
    return undefined;
  }
}

/** Why a declared size is refused, or undefined when it is within bounds. */
export function sizeViolation(size: { width: number; height: number }): 'too_many_pixels' | 'too_small' | undefined {
  if (size.width * size.height > MAX_PIXELS) return 'too_many_pixels';
  const long = Math.max(size.width, size.height);
  const short = Math.min(size.width, size.height);
  if (long < MIN_LONG_SIDE || short < MIN_SHORT_SIDE) return 'too_small';
  return undefined;
}

export interface Variant {
  width: number;
  data: Buffer;
}

export interface Processed {
  /** The oriented original's size. */
  width: number;
  height: number;
  blurhash: string;
  /** WebP, in the order of VARIANT_WIDTHS; never wider than the original. */
  variants: Variant[];
}

/** The input could not be decoded: the photo fails with this reason (not retried). */
export class UndecodableImage extends Error {}

/**
 * The variants and placeholder of an original. The image is decoded once, oriented and
 * brought down to the largest width (a JPEG shrinks while it is decoded), and the smaller
 * variants are made from that; WebP output carries no metadata block (no EXIF, GPS, XMP or
 * ICC: sharp strips them unless asked to keep them, and the pixels are converted to sRGB).
 */
export async function makeVariants(input: Buffer): Promise<Processed> {
  const sharp = await loadSharp();
  try {
    const source = sharp(input, { limitInputPixels: MAX_PIXELS, failOn: 'truncated' }).rotate();
    const { data, info } = await source
      .resize({ width: WIDTHS.at(-1), withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const meta = await sharp(input, { limitInputPixels: MAX_PIXELS }).metadata();
    const turned = (meta.orientation ?? 1) >= 5;
    const width = (turned ? meta.height : meta.width) ?? info.width;
    const height = (turned ? meta.width : meta.height) ?? info.height;
    const raw = { raw: { width: info.width, height: info.height, channels: info.channels } } as const;
    const variants: Variant[] = [];
    for (const w of WIDTHS) {
      const out = await sharp(data, raw)
        .resize({ width: w, withoutEnlargement: true })
        .webp({ quality: 80, effort: 2 })
        .toBuffer();
      variants.push({ width: w, data: out });
    }
    const thumb = await sharp(data, raw)
      .resize(32, 32, { fit: 'inside' })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const blurhash = encode(new Uint8ClampedArray(thumb.data), thumb.info.width, thumb.info.height, 4, 3);
    return { width, height, blurhash, variants };
  } catch (e) {
    throw new UndecodableImage(describeDecodeError(e), { cause: e });
  }
}

/** A short reason for the photo's `failureReason`: libvips' first line, without paths. */
function describeDecodeError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const first = (message.split('\n')[0] ?? '').replace(/\/[^\s:]+/g, '').trim();
  return `The image could not be decoded${first ? `: ${first.slice(0, 200)}` : ''}.`;
}

/** At most `max` tasks at once in this process; the others wait their turn, first come first served. */
export function createLimiter(max: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async function limit<T>(task: () => Promise<T>): Promise<T> {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
