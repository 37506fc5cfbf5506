import { AppError, notFound, type ConstraintErrors } from '../../platform/errors.js';
import { MAX_PIXELS, MIN_LONG_SIDE, MIN_SHORT_SIDE } from './photos.image.js';

export const MAX_PHOTOS_PER_PLACE = 50;

export const photoNotFound = () => notFound('photo');
export const tooManyPhotos = () =>
  new AppError('conflict', 'too_many_photos', `A place has at most ${MAX_PHOTOS_PER_PLACE} photos; delete one first.`);
export const photoTooManyPixels = (width: number, height: number) =>
  new AppError(
    'invalid',
    'photo_too_many_pixels',
    `The image is ${width} × ${height}: more than ${MAX_PIXELS / 1_000_000} megapixels.`,
    { errors: [{ path: 'file', message: `At most ${MAX_PIXELS / 1_000_000} megapixels.` }] },
  );
export const photoTooSmall = (width: number, height: number) =>
  new AppError(
    'invalid',
    'photo_too_small',
    `The image is ${width} × ${height}: at least ${MIN_LONG_SIDE} × ${MIN_SHORT_SIDE} is needed (either way round).`,
    { errors: [{ path: 'file', message: `At least ${MIN_LONG_SIDE} × ${MIN_SHORT_SIDE} pixels.` }] },
  );
export const photoFileMissing = () =>
  new AppError('invalid', 'validation_failed', 'The request is not valid.', {
    errors: [{ path: 'file', message: 'Send one image file in the `file` part.' }],
  });
export const unknownUploadPart = (name: string) =>
  new AppError('invalid', 'validation_failed', 'The request is not valid.', {
    errors: [{ path: name.slice(0, 100), message: 'Unknown field: send `file` and optionally `caption`.' }],
  });
export const captionTooLong = () =>
  new AppError('invalid', 'validation_failed', 'The request is not valid.', {
    errors: [{ path: 'caption', message: 'At most 200 characters.' }],
  });
export const photoOrderMismatch = () =>
  new AppError(
    'invalid',
    'photo_order_mismatch',
    'The order must list every photo of the place exactly once, and nothing else.',
    { errors: [{ path: 'order', message: 'Every photo id of the place, once each.' }] },
  );
export const uploadLimitReached = (retryAfterSeconds: number) =>
  new AppError(
    'rate_limited',
    'photo_upload_limit',
    `Too many photo uploads today; retry in ${retryAfterSeconds} seconds.`,
    { retryAfter: retryAfterSeconds },
  );

/** The domain error each constraint of the photos table stands for when violated. */
export const photosConstraints: ConstraintErrors = { photos_caption_check: () => captionTooLong() };
