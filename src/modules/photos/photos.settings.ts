import { z } from 'zod';
import { int, optionalString, url } from '../../config.js';
import { defineSettings } from '../../module.js';

/** The photos module's environment variables: the media store, and the bounds of uploads and processing. */
export const photosSettings = defineSettings({
  env: z.object({
    MEDIA_S3_BUCKET: optionalString.describe(
      'S3 bucket for photos (any S3-compatible store); unset: files under DATA_DIR/media, served at /media',
    ),
    MEDIA_S3_ENDPOINT: url(['http:', 'https:']).describe(
      'Endpoint of an S3-compatible store (MinIO, R2, …), addressed path-style; unset: AWS S3',
    ),
    MEDIA_S3_REGION: optionalString.describe('Region of the S3 bucket (default us-east-1)'),
    MEDIA_PUBLIC_URL: url(['http:', 'https:']).describe(
      'Public base URL of the media (a CDN in front of the bucket or of /media); photo URLs are this plus the object key',
    ),
    PHOTO_UPLOADS_PER_DAY: int(200, 1, 100_000).describe('Photo uploads one user may make per 24 hours'),
    PHOTO_PROCESSING_CONCURRENCY: int(2, 1, 16).describe(
      'Photos one process decodes and resizes at once (each holds up to ~100 MB while it runs)',
    ),
  }),
  check(env, _platform, report) {
    if (!env.MEDIA_S3_BUCKET && env.MEDIA_S3_ENDPOINT) report('MEDIA_S3_ENDPOINT', 'needs MEDIA_S3_BUCKET');
    if (!env.MEDIA_S3_BUCKET && env.MEDIA_S3_REGION) report('MEDIA_S3_REGION', 'needs MEDIA_S3_BUCKET');
    if (env.MEDIA_S3_BUCKET && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(env.MEDIA_S3_BUCKET)) {
      report('MEDIA_S3_BUCKET', 'must be a bucket name (3-63 lower-case letters, digits, dots and hyphens)');
    }
  },
  read: (env) => ({
    s3: env.MEDIA_S3_BUCKET
      ? {
          bucket: env.MEDIA_S3_BUCKET,
          endpoint: env.MEDIA_S3_ENDPOINT?.replace(/\/+$/, ''),
          region: env.MEDIA_S3_REGION ?? 'us-east-1',
        }
      : undefined,
    publicUrl: env.MEDIA_PUBLIC_URL?.replace(/\/+$/, ''),
    uploadsPerDay: env.PHOTO_UPLOADS_PER_DAY,
    processingConcurrency: env.PHOTO_PROCESSING_CONCURRENCY,
  }),
});

export type PhotosSettings = ReturnType<typeof photosSettings.read>;
