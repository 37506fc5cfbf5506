import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { consumeLimit, type CounterStore } from '../../platform/cache/counters.js';
import type { Clock } from '../../platform/clock.js';
import { requireActor, type RequestContext } from '../../platform/context.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import { mapConstraintError } from '../../platform/errors.js';
import type { PropertiesApi, PropertyDeletedEvent, PropertyExtras } from '../properties/index.js';
import {
  MAX_PHOTOS_PER_PLACE,
  photoNotFound,
  photoOrderMismatch,
  photosConstraints,
  photoTooManyPixels,
  photoTooSmall,
  tooManyPhotos,
  uploadLimitReached,
} from './photos.errors.js';
import {
  configureSharp,
  createLimiter,
  makeVariants,
  readDeclaredSize,
  readHead,
  sizeViolation,
  sniffImageType,
  UndecodableImage,
} from './photos.image.js';
import { enqueueObjectDeletion, enqueueProcessing, type DeleteObjectsPayload } from './photos.jobs.js';
import * as repo from './photos.repository.js';
import {
  toPhotoDto,
  variantKey,
  variantKeys,
  type Photo,
  type PhotoList,
  type ReorderPhotosInput,
  type UpdatePhotoInput,
} from './photos.schemas.js';
import type { MediaStore } from './photos.storage.js';
import type { PhotoRow } from './photos.table.js';

const DAY_MS = 86_400_000;

/** A key the store does not have: the filesystem's ENOENT, S3's NoSuchKey. */
const isMissingObject = (e: unknown): boolean => {
  const { code, name } = e as { code?: unknown; name?: unknown };
  return code === 'ENOENT' || name === 'NoSuchKey';
};

/** An upload streamed to a temporary file by the transport (which removes it afterwards). */
export interface UploadedFile {
  path: string;
  /** SHA-256 of the bytes, hex. */
  sha256: string;
}

/** The bytes are not a JPEG, PNG or WebP image: the transport answers 415. */
export class UnsupportedImageType extends Error {
  constructor() {
    super('Send a JPEG, PNG or WebP image.');
  }
}

/** What the transports, the jobs, the seeder and the composition call of photos. */
export interface PhotosApi {
  /** Where the files are (the seeder writes its pool there; embedded mode serves it at /media). */
  readonly store: MediaStore;
  /** This process's directory for uploads being received (made on first use). */
  uploadDir(): Promise<string>;
  /** Before an upload's body is read: the caller owns the place (404/403), is within their daily count (429) and the place has room (409). */
  prepareUpload(propertyId: string, ctx: RequestContext): Promise<void>;
  /** An upload on disk: its type (UnsupportedImageType) and size (422) from its bytes, then stored and queued; the photo is `processing`. */
  acceptUpload(propertyId: string, file: UploadedFile, caption: string | null, ctx: RequestContext): Promise<Photo>;
  /** Every photo to the place's host and admins; ready ones to anyone else who may see the place. */
  listPhotos(propertyId: string, ctx: RequestContext): Promise<PhotoList>;
  updatePhoto(propertyId: string, photoId: string, input: UpdatePhotoInput, ctx: RequestContext): Promise<Photo>;
  reorderPhotos(propertyId: string, input: ReorderPhotosInput, ctx: RequestContext): Promise<PhotoList>;
  deletePhoto(propertyId: string, photoId: string, ctx: RequestContext): Promise<void>;
  /** The ready photos of each of these places, in order, in one query (GraphQL's `Property.photos`). */
  photosOfProperties(propertyIds: readonly string[]): Promise<Map<string, Photo[]>>;
  /** Job: the variants and placeholder of a processing photo; `failed` when it cannot be decoded. */
  processPhoto(photoId: string): Promise<void>;
  /** Job: deletes originals, and the variants of prefixes no photo names any more. */
  deleteObjects(payload: DeleteObjectsPayload): Promise<void>;
  /** `property.deleted`: the place's photos go in its transaction, their objects after it. */
  onPropertyDeleted(tx: Db, event: PropertyDeletedEvent): Promise<void>;
}

export interface PhotosServiceDeps {
  db: Db;
  clock: Clock;
  counters: CounterStore;
  properties: Pick<PropertiesApi, 'getOwnedProperty' | 'getProperty' | 'invalidateProperty' | 'extendProperties'>;
  store: MediaStore;
  uploadsPerDay: number;
  /** Images decoded at once in this process. */
  processingConcurrency: number;
  /**
   * Start processing in this process as soon as an upload commits, besides the outbox job
   * (which then finds the photo done): for a process that runs the jobs itself (embedded
   * mode), where the job would otherwise wait for the runner's next look at the outbox.
   */
  processOnUpload?: boolean;
}

export function createPhotosService(deps: PhotosServiceDeps): PhotosApi {
  const { db, clock, counters, properties, store } = deps;
  const limit = createLimiter(deps.processingConcurrency);
  const dto = (row: PhotoRow) => toPhotoDto(row, store);
  configureSharp();
  // One run per photo at a time in this process: the job and the start at upload share it.
  const processing = new Map<string, Promise<void>>();

  // Places carry their cover (and, in the answer about one place, every ready photo),
  // read with the place and cached with it: changes below end that cache after commit.
  properties.extendProperties({
    scope: 'shared',
    async load(ids, { detail }) {
      const extras = new Map<string, PropertyExtras>();
      if (detail) {
        const byPlace = await photosOfProperties(ids);
        for (const id of ids) {
          const list = byPlace.get(id) ?? [];
          extras.set(id, { coverPhoto: list[0] ?? null, photos: list });
        }
      } else {
        for (const row of await repo.findCovers(db, ids)) extras.set(row.propertyId, { coverPhoto: dto(row) });
      }
      return extras;
    },
  });

  async function photosOfProperties(ids: readonly string[]): Promise<Map<string, Photo[]>> {
    const byPlace = new Map<string, Photo[]>(ids.map((id) => [id, []]));
    for (const row of await repo.listReadyPhotosOf(db, ids)) byPlace.get(row.propertyId)?.push(dto(row));
    return byPlace;
  }

  /** A photo of a place the caller owns, else 404 (the place: 404/403 as for every owner route). */
  async function ownedPhoto(propertyId: string, photoId: string, ctx: RequestContext): Promise<PhotoRow> {
    await properties.getOwnedProperty(propertyId, ctx);
    const row = await repo.findPhoto(db, photoId);
    if (!row || row.propertyId !== propertyId) throw photoNotFound();
    return row;
  }

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

  let uploads: Promise<string> | undefined;

  async function deleteObjects(payload: DeleteObjectsPayload): Promise<void> {
    const inUse = await repo.prefixesInUse(db, payload.prefixes);
    const keys = [
      ...payload.originals,
      ...payload.prefixes.filter((p) => !inUse.has(p)).flatMap((p) => variantKeys(p)),
    ];
    await store.delete(keys);
  }

  return {
    store,
    photosOfProperties,
    deleteObjects,
    uploadDir: () => (uploads ??= mkdtemp(path.join(tmpdir(), 'staylane-uploads-'))),

    async prepareUpload(propertyId, ctx) {
      const actor = requireActor(ctx);
      await properties.getOwnedProperty(propertyId, ctx);
      await consumeLimit(counters, `photo-uploads:${actor.id}`, {
        max: deps.uploadsPerDay,
        windowMs: DAY_MS,
        exceeded: uploadLimitReached,
      });
      if ((await repo.countPhotos(db, propertyId)) >= MAX_PHOTOS_PER_PLACE) throw tooManyPhotos();
    },

    async acceptUpload(propertyId, file, caption, ctx) {
      await properties.getOwnedProperty(propertyId, ctx);
      const type = sniffImageType(await readHead(file.path));
      if (!type) throw new UnsupportedImageType();
      // From the header only: a file that declares 20,000 × 20,000 is refused before any
      // pixel is decoded. A header sharp cannot read is left to the job, which fails it.
      const size = await readDeclaredSize(file.path);
      const violation = size && sizeViolation(size);
      if (size && violation === 'too_many_pixels') throw photoTooManyPixels(size.width, size.height);
      if (size && violation === 'too_small') throw photoTooSmall(size.width, size.height);

      const id = randomUUID();
      const originalKey = `uploads/${id}`;
      await store.put(originalKey, { path: file.path }, { contentType: type, immutable: false });
      try {
        const row = await withTransaction(db, async (tx, { afterCommit }) => {
          await repo.lockPlacePhotos(tx, propertyId);
          const count = await repo.countPhotos(tx, propertyId);
          if (count >= MAX_PHOTOS_PER_PLACE) throw tooManyPhotos();
          let created: PhotoRow;
          try {
            created = await repo.insertPhoto(tx, {
              id,
              propertyId,
              position: count,
              caption,
              originalType: type,
              originalKey,
              keyPrefix: `${propertyId}/${file.sha256}`,
              createdAt: clock.now(),
              updatedAt: clock.now(),
            });
          } catch (e) {
            throw mapConstraintError(e, photosConstraints);
          }
          // In the row's transaction: an accepted upload is processed even if this process dies now.
          await enqueueProcessing(tx, id, clock.now());
          // The fast path; the job above stays the guarantee (a failure here is left to it).
          if (deps.processOnUpload) afterCommit(() => void processPhoto(id).catch(() => undefined));
          return created;
        });
        return dto(row);
      } catch (e) {
        await store.delete([originalKey]).catch(() => undefined);
        throw e;
      }
    },

    async listPhotos(propertyId, ctx) {
      const property = await properties.getProperty(propertyId, ctx);
      const everything = ctx.actor !== undefined && (ctx.actor.id === property.hostId || ctx.actor.role === 'admin');
      const rows = await repo.listPhotos(db, propertyId, !everything);
      return { data: rows.map(dto) };
    },

    async updatePhoto(propertyId, photoId, input, ctx) {
      await ownedPhoto(propertyId, photoId, ctx);
      const row = await withTransaction(db, async (tx, { afterCommit }) => {
        const updated = await repo.updateCaption(tx, photoId, input.caption, clock.now()).catch((e: unknown) => {
          throw mapConstraintError(e, photosConstraints);
        });
        if (!updated) throw photoNotFound();
        if (updated.status === 'ready') afterCommit(() => properties.invalidateProperty(propertyId));
        return updated;
      });
      return dto(row);
    },

    async reorderPhotos(propertyId, input, ctx) {
      await properties.getOwnedProperty(propertyId, ctx);
      const rows = await withTransaction(db, async (tx, { afterCommit }) => {
        await repo.lockPlacePhotos(tx, propertyId);
        const current = await repo.listPhotos(tx, propertyId, false);
        const wanted = new Set(input.order);
        const same =
          wanted.size === input.order.length &&
          wanted.size === current.length &&
          current.every((p) => wanted.has(p.id));
        if (!same) throw photoOrderMismatch();
        await repo.setPositions(tx, propertyId, input.order, clock.now());
        afterCommit(() => properties.invalidateProperty(propertyId));
        return repo.listPhotos(tx, propertyId, false);
      });
      return { data: rows.map(dto) };
    },

    async deletePhoto(propertyId, photoId, ctx) {
      await ownedPhoto(propertyId, photoId, ctx);
      await withTransaction(db, async (tx, { afterCommit }) => {
        await repo.lockPlacePhotos(tx, propertyId);
        const row = await repo.deletePhoto(tx, propertyId, photoId);
        if (!row) throw photoNotFound();
        // The objects go once the row's deletion has committed, through a retried job.
        await enqueueObjectDeletion(
          tx,
          { prefixes: [row.keyPrefix], originals: row.originalKey ? [row.originalKey] : [] },
          clock.now(),
        );
        afterCommit(() => properties.invalidateProperty(propertyId));
      });
    },

    processPhoto,

    async onPropertyDeleted(tx, { propertyId }) {
      const rows = await repo.deletePlacePhotos(tx, propertyId);
      await enqueueObjectDeletion(
        tx,
        {
          prefixes: [...new Set(rows.map((r) => r.keyPrefix))],
          originals: rows.flatMap((r) => (r.originalKey ? [r.originalKey] : [])),
        },
        clock.now(),
      );
    },
  };
}
