import { z } from 'zod';
import type { Db } from '../../platform/db/types.js';
import { defineJob, enqueue, type JobDefinition } from '../../platform/jobs/index.js';

/** Makes a photo's variants and placeholder (written in the upload's transaction). */
export const PROCESS_PHOTO = 'photos.process';
export const ProcessPhotoPayload = z.object({ photoId: z.uuid() });

/**
 * Deletes objects once the rows naming them are gone (written in the transaction that
 * deletes the rows): originals by key, and the variants of each prefix no row names any more.
 */
export const DELETE_PHOTO_OBJECTS = 'photos.delete-objects';
export const DeleteObjectsPayload = z.object({
  prefixes: z.array(z.string().min(1).max(200)).max(1_000),
  originals: z.array(z.string().min(1).max(200)).max(1_000),
});
export type DeleteObjectsPayload = z.infer<typeof DeleteObjectsPayload>;

export async function enqueueProcessing(tx: Db, photoId: string, now: Date): Promise<void> {
  await enqueue(tx, { kind: PROCESS_PHOTO, payload: { photoId }, runAt: now, key: `photo-process:${photoId}` });
}

export async function enqueueObjectDeletion(tx: Db, payload: DeleteObjectsPayload, now: Date): Promise<void> {
  if (payload.prefixes.length === 0 && payload.originals.length === 0) return;
  await enqueue(tx, { kind: DELETE_PHOTO_OBJECTS, payload, runAt: now });
}

/** What the handlers call (the photos service). */
export interface PhotoJobHandlers {
  processPhoto(photoId: string): Promise<void>;
  deleteObjects(payload: DeleteObjectsPayload): Promise<void>;
}

export function photosJobs(service: PhotoJobHandlers): JobDefinition[] {
  return [
    defineJob({
      kind: PROCESS_PHOTO,
      schema: ProcessPhotoPayload,
      handle: (payload) => service.processPhoto(payload.photoId),
    }),
    defineJob({
      kind: DELETE_PHOTO_OBJECTS,
      schema: DeleteObjectsPayload,
      handle: (payload) => service.deleteObjects(payload),
    }),
  ];
}
