import { z } from 'zod';
import { idParam } from '../../platform/openapi-examples.js';
import { Photo } from '../properties/index.js';
import type { MediaStore } from './photos.storage.js';
import { VARIANT_WIDTHS } from './photos.image.js';
import type { PhotoRow } from './photos.table.js';

export { Photo };

const EXAMPLE_PHOTO_ID = '5d1e8c3a-9b7f-4e2d-a6c4-3f8b1e9d7a25';

const caption = z
  .string()
  .trim()
  .max(200)
  .transform((v) => (v === '' ? null : v));

export const PropertyIdParams = z.object({ id: idParam('property') });
export const PhotoParams = z.object({
  id: idParam('property'),
  photoId: z
    .uuid()
    .describe('The photo id.')
    .meta({ examples: [EXAMPLE_PHOTO_ID] }),
});

/**
 * The upload's form, for the published document only: the route reads the multipart stream
 * itself (one file, streamed to disk under the size limit), so this schema validates nothing.
 */
export const UploadPhotoForm = z
  .object({
    file: z
      .string()
      .describe('The image: JPEG, PNG or WebP (read from its bytes), at most 20 MiB, 800 × 600 to 50 megapixels.')
      .meta({ contentMediaType: 'application/octet-stream' }),
    caption: z.string().max(200).optional().describe('Up to 200 characters; may be left out.'),
  })
  .meta({
    id: 'UploadPhotoForm',
    examples: [{ file: '(the image’s bytes)', caption: 'Living room in the morning light' }],
  });

/** The caption part of an upload, as the service takes it. */
export const UploadCaption = caption.optional().transform((v) => v ?? null);

export const UpdatePhotoInput = z
  .strictObject({
    caption: caption
      .nullable()
      .describe('Up to 200 characters; null or an empty string removes it.')
      .transform((v) => v ?? null),
  })
  .meta({ id: 'UpdatePhotoInput', examples: [{ caption: 'The terrace at sunset' }] });
export type UpdatePhotoInput = z.infer<typeof UpdatePhotoInput>;

export const ReorderPhotosInput = z
  .strictObject({
    order: z
      .array(z.uuid())
      .max(50)
      .describe('Every photo id of the place, each once, in the new order; the first ready one is the cover.'),
  })
  .meta({
    id: 'ReorderPhotosInput',
    examples: [{ order: [EXAMPLE_PHOTO_ID, '8f14e45f-ceea-4e7a-9b1d-2c3e4f5a6b7c'] }],
  });
export type ReorderPhotosInput = z.infer<typeof ReorderPhotosInput>;

export const PhotoList = z
  .object({ data: z.array(Photo).describe('Every photo the caller may see, by position (at most 50).') })
  .meta({ id: 'PhotoList' });
export type PhotoList = z.infer<typeof PhotoList>;

/** The key of a variant of a photo. */
export const variantKey = (keyPrefix: string, width: number) => `${keyPrefix}-${width}.webp`;
export const variantKeys = (keyPrefix: string) => Object.values(VARIANT_WIDTHS).map((w) => variantKey(keyPrefix, w));

/** The DTO of a row; the URLs are the store's public ones, once the variants exist. */
export function toPhotoDto(row: PhotoRow, store: Pick<MediaStore, 'urlOf'>): Photo {
  const ready = row.status === 'ready';
  return {
    id: row.id,
    status: row.status,
    caption: row.caption,
    width: row.width,
    height: row.height,
    blurhash: ready ? row.blurhash : null,
    urls: ready
      ? {
          small: store.urlOf(variantKey(row.keyPrefix, VARIANT_WIDTHS.small)),
          medium: store.urlOf(variantKey(row.keyPrefix, VARIANT_WIDTHS.medium)),
          large: store.urlOf(variantKey(row.keyPrefix, VARIANT_WIDTHS.large)),
        }
      : null,
    position: row.position,
    failureReason: row.failureReason,
    createdAt: row.createdAt.toISOString(),
  };
}
