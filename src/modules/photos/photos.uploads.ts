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
import type { PropertiesApi } from '../properties/index.js';
import {
  MAX_PHOTOS_PER_PLACE,
  photosConstraints,
  photoTooManyPixels,
  photoTooSmall,
  tooManyPhotos,
  uploadLimitReached,
} from './photos.errors.js';
import { readDeclaredSize, readHead, sizeViolation, sniffImageType } from './photos.image.js';
import { enqueueProcessing } from './photos.jobs.js';
import * as repo from './photos.repository.js';
import { toPhotoDto, type Photo } from './photos.schemas.js';
import type { MediaStore } from './photos.storage.js';
import type { PhotoRow } from './photos.table.js';

const DAY_MS = 86_400_000;

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

export interface PhotoUploadsDeps {
  db: Db;
  clock: Clock;
  counters: CounterStore;
  properties: Pick<PropertiesApi, 'getOwnedProperty'>;
  store: MediaStore;
  uploadsPerDay: number;
  /** Set: processing starts in this process once an upload commits (see PhotosServiceDeps). */
  processNow?: (photoId: string) => Promise<void>;
}

/** Uploads: the checks before the body is read, then those of the file itself, the stored original and the queued job. */
export function createPhotoUploads(deps: PhotoUploadsDeps) {
  const { db, clock, counters, properties, store } = deps;
  let uploads: Promise<string> | undefined;
  return {
    uploadDir: (): Promise<string> => (uploads ??= mkdtemp(path.join(tmpdir(), 'staylane-uploads-'))),

    async prepareUpload(propertyId: string, ctx: RequestContext): Promise<void> {
      const actor = requireActor(ctx);
      await properties.getOwnedProperty(propertyId, ctx);
      await consumeLimit(counters, `photo-uploads:${actor.id}`, {
        max: deps.uploadsPerDay,
        windowMs: DAY_MS,
        exceeded: uploadLimitReached,
      });
      if ((await repo.countPhotos(db, propertyId)) >= MAX_PHOTOS_PER_PLACE) throw tooManyPhotos();
    },

    async acceptUpload(
      propertyId: string,
      file: UploadedFile,
      caption: string | null,
      ctx: RequestContext,
    ): Promise<Photo> {
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
          const processNow = deps.processNow;
          if (processNow) afterCommit(() => void processNow(id).catch(() => undefined));
          return created;
        });
        return toPhotoDto(row, store);
      } catch (e) {
        await store.delete([originalKey]).catch(() => undefined);
        throw e;
      }
    },
  };
}
