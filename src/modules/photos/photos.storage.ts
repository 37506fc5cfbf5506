import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type * as S3 from '@aws-sdk/client-s3';

/**
 * Where photo files live, by key: the filesystem (embedded mode, served by the app at
 * /media) or any S3-compatible object store. Keys are made by this module only, never taken
 * from a client: `<placeId>/<sha256>-<width>.webp` for variants (`shared/…` for the
 * seeder's pool) and `uploads/<photoId>` for an original waiting to be processed.
 */
export interface MediaStore {
  readonly kind: 'filesystem' | 's3';
  /** Stores a buffer or the file at `path` under `key` (replacing it). */
  put(
    key: string,
    body: Buffer | { path: string },
    options: { contentType: string; immutable: boolean },
  ): Promise<void>;
  read(key: string): Promise<Buffer>;
  /** Deletes the keys; a key that does not exist is not an error. */
  delete(keys: readonly string[]): Promise<void>;
  /** The public URL of a variant: absolute, or root-relative (`/media/…`) when served by the app. */
  urlOf(key: string): string;
  /** The filesystem store's file of a key (for serving it at /media); absent for S3. */
  readonly pathOf?: (key: string) => string;
}

/** Variant keys: a place id (or `shared`), then the original's SHA-256 and the width slot. */
export const VARIANT_KEY =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|shared)\/[0-9a-f]{64}-(?:320|960|1920)\.webp$/;

export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Files under `root` (DATA_DIR/media); public URLs under `publicBase` (`/media` unless a CDN is in front). */
export function createFileStore(root: string, publicBase = '/media'): MediaStore {
  const absolute = path.resolve(root);
  const pathOf = (key: string): string => {
    const file = path.resolve(absolute, key);
    // Keys are ours, but a path outside the root is refused whatever made it.
    if (!file.startsWith(absolute + path.sep)) throw new Error(`media key outside the store: ${key}`);
    return file;
  };
  return {
    kind: 'filesystem',
    pathOf,
    async put(key, body) {
      const file = pathOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      // Written aside, then renamed: a reader never sees half a file.
      const partial = `${file}.${randomBytes(6).toString('hex')}.partial`;
      try {
        if (Buffer.isBuffer(body)) await writeFile(partial, body);
        else await copyFile(body.path, partial);
        await rename(partial, file);
      } catch (e) {
        await rm(partial, { force: true });
        throw e;
      }
    },
    read: (key) => readFile(pathOf(key)),
    async delete(keys) {
      await Promise.all(keys.map((key) => rm(pathOf(key), { force: true })));
    },
    urlOf: (key) => `${publicBase}/${key}`,
  };
}

export interface S3StoreOptions {
  bucket: string;
  /** An S3-compatible endpoint (MinIO, R2…), addressed path-style; AWS itself when absent. */
  endpoint?: string;
  region: string;
  /** A CDN in front of the bucket; else the bucket's own URL. */
  publicUrl?: string;
  /** Tests: fixed credentials for a local server; otherwise the SDK's usual chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** An S3-compatible bucket through the AWS SDK v3 (credentials from the SDK's usual chain). */
export function createS3Store(options: S3StoreOptions): MediaStore {
  const { bucket, endpoint, region } = options;
  let client: Promise<{ s3: S3.S3Client; sdk: typeof S3 }> | undefined;
  // Loaded on first use: embedded mode never pays for the SDK at start-up.
  const connect = () =>
    (client ??= import('@aws-sdk/client-s3').then((sdk) => ({
      sdk,
      s3: new sdk.S3Client({
        region,
        // Checksums only where the API requires them: a streamed body is then sent as is,
        // not in the aws-chunked encoding that many S3-compatible stores do not understand.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        ...(endpoint && { endpoint, forcePathStyle: true }),
        ...(options.credentials && { credentials: options.credentials }),
      }),
    })));
  const base =
    options.publicUrl ?? (endpoint ? `${endpoint}/${bucket}` : `https://${bucket}.s3.${region}.amazonaws.com`);
  return {
    kind: 's3',
    async put(key, body, { contentType, immutable }) {
      const { s3, sdk } = await connect();
      const Body = Buffer.isBuffer(body) ? body : createReadStream(body.path);
      const ContentLength = Buffer.isBuffer(body) ? body.length : (await stat(body.path)).size;
      await s3.send(
        new sdk.PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body,
          ContentLength,
          ContentType: contentType,
          CacheControl: immutable ? IMMUTABLE : 'private, no-store',
        }),
      );
    },
    async read(key) {
      const { s3, sdk } = await connect();
      const answer = await s3.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!answer.Body) throw new Error(`media object without a body: ${key}`);
      return Buffer.from(await answer.Body.transformToByteArray());
    },
    async delete(keys) {
      if (keys.length === 0) return;
      const { s3, sdk } = await connect();
      for (let i = 0; i < keys.length; i += 1000) {
        const answer = await s3.send(
          new sdk.DeleteObjectsCommand({
            Bucket: bucket,
            Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true },
          }),
        );
        if (answer.Errors && answer.Errors.length > 0) {
          throw new Error(`media delete failed for ${answer.Errors.length} objects: ${answer.Errors[0]?.Code ?? ''}`);
        }
      }
    },
    urlOf: (key) => `${base}/${key}`,
  };
}
