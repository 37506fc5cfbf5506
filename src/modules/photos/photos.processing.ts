import type { Clock } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import type { PropertiesApi } from '../properties/index.js';
import { createLimiter, makeVariants, UndecodableImage } from './photos.image.js';
import { enqueueObjectDeletion, type DeleteObjectsPayload } from './photos.jobs.js';
import * as repo from './photos.repository.js';
import { variantKey, variantKeys } from './photos.schemas.js';
import type { MediaStore } from './photos.storage.js';

/** A key the store does not have: the filesystem's ENOENT, S3's NoSuchKey. */
const isMissingObject = (e: unknown): boolean => {
  const { code, name } = e as { code?: unknown; name?: unknown };
  return code === 'ENOENT' || name === 'NoSuchKey';
};

export interface PhotoProcessingDeps {
  db: Db;
  clock: Clock;
  store: MediaStore;
  properties: Pick<PropertiesApi, 'invalidateProperty'>;
  /** Images decoded at once in this process. */
  processingConcurrency: number;
}

/**
 * The jobs' work: a photo's variants and placeholder (or its failure), and the deletion of
 * files no photo names any more.
 */
export function createPhotoProcessing(deps: PhotoProcessingDeps) {
  const { db, clock, store, properties } = deps;
  const limit = createLimiter(deps.processingConcurrency);
  // One run per photo at a time in this process: the job and the start at upload share it.
  const processing = new Map<string, Promise<void>>();

  async function runProcessing(photoId: string): Promise<void> {
    const row = await repo.findPhoto(db, photoId);
    if (!row || row.status !== 'processing' || !row.originalKey) return;
    const originalKey = row.originalKey;
    // The original is read, decoded, encoded and stored within the limit, so this many
    // originals at most are in memory at once, however many jobs run.
    const outcome = await limit(async () => {
      let input: Buffer;
      try {
        input = await store.read(originalKey);
      } catch (e) {
        // Gone for good (not a store that is down): the photo cannot be made.
        if (isMissingObject(e)) return { failed: 'The uploaded file was lost before it could be processed.' };
        throw e;
      }
      try {
        const processed = await makeVariants(input);
        for (const v of processed.variants) {
          await store.put(variantKey(row.keyPrefix, v.width), v.data, { contentType: 'image/webp', immutable: true });
        }
        return processed;
      } catch (e) {
        if (e instanceof UndecodableImage) return { failed: e.message };
        throw e;
      }
    });
    const updated = await withTransaction(db, async (tx, { afterCommit }) => {
      const now = clock.now();
      const done =
        'failed' in outcome
          ? await repo.markFailed(tx, photoId, outcome.failed, now)
          : await repo.markReady(tx, photoId, outcome, now);
      if (done) {
        await enqueueObjectDeletion(tx, { prefixes: [], originals: [originalKey] }, now);
        if (done.status === 'ready') afterCommit(() => properties.invalidateProperty(done.propertyId));
      }
      return done;
    });
    // Deleted while it was processed: the variants just stored belong to no row (unless
    // another photo has the same content).
    if (!updated && !('failed' in outcome)) await deleteObjects({ prefixes: [row.keyPrefix], originals: [] });
  }

  /** Processes a photo, sharing a run already going in this process for the same photo. */
  function processPhoto(photoId: string): Promise<void> {
    const running = processing.get(photoId);
    if (running) return running;
    const run = runProcessing(photoId).finally(() => processing.delete(photoId));
    processing.set(photoId, run);
    return run;
  }

  async function deleteObjects(payload: DeleteObjectsPayload): Promise<void> {
    const inUse = await repo.prefixesInUse(db, payload.prefixes);
    const keys = [
      ...payload.originals,
      ...payload.prefixes.filter((p) => !inUse.has(p)).flatMap((p) => variantKeys(p)),
    ];
    await store.delete(keys);
  }

  return { processPhoto, deleteObjects };
}
