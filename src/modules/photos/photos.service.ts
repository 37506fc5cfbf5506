import type { CounterStore } from '../../platform/cache/counters.js';
import type { Clock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import { withTransaction } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/types.js';
import { mapConstraintError } from '../../platform/errors.js';
import type { PropertiesApi, PropertyDeletedEvent, PropertyExtension, PropertyExtras } from '../properties/index.js';
import { photoNotFound, photoOrderMismatch, photosConstraints } from './photos.errors.js';
import { enqueueObjectDeletion, type DeleteObjectsPayload } from './photos.jobs.js';
import { createPhotoProcessing } from './photos.processing.js';
import * as repo from './photos.repository.js';
import {
  toPhotoDto,
  type Photo,
  type PhotoList,
  type ReorderPhotosInput,
  type UpdatePhotoInput,
} from './photos.schemas.js';
import type { MediaStore } from './photos.storage.js';
import type { PhotoRow } from './photos.table.js';
import { createPhotoUploads, type UploadedFile } from './photos.uploads.js';

export { UnsupportedImageType, type UploadedFile } from './photos.uploads.js';

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

/** Photos by use case: uploads, processing, and what the place's host and readers do with them. */
export function createPhotosService(deps: PhotosServiceDeps): PhotosApi {
  const { db, clock, properties, store } = deps;
  const dto = (row: PhotoRow) => toPhotoDto(row, store);
  const { processPhoto, deleteObjects } = createPhotoProcessing(deps);
  const uploads = createPhotoUploads({ ...deps, processNow: deps.processOnUpload ? processPhoto : undefined });

  // Places carry their cover (and, in the answer about one place, every ready photo),
  // read with the place and cached with it: changes below end that cache after commit.
  const extension: PropertyExtension = {
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
  };
  properties.extendProperties(extension);

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

  return {
    store,
    ...uploads,
    photosOfProperties,
    processPhoto,
    deleteObjects,

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
