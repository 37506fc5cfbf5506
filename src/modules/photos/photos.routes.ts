import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { validatorCompiler, type FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendProblem } from '../../http/error-handler.js';
import { problemResponses, TITLES } from '../../http/problem.js';
import { MAX_PHOTOS_PER_PLACE } from './photos.errors.js';
import {
  Photo,
  PhotoList,
  PhotoParams,
  PropertyIdParams,
  ReorderPhotosInput,
  UpdatePhotoInput,
  UploadCaption,
  UploadPhotoForm,
} from './photos.schemas.js';
import type { PhotosApi } from './photos.service.js';
import { UnsupportedImageType } from './photos.uploads.js';
import { IMMUTABLE, VARIANT_KEY } from './photos.storage.js';
import { MalformedUpload, receiveUpload, UPLOAD_LIMITS, uploadTarget } from './photos.multipart.js';

const bearer = [{ bearerAuth: [] }];
const optionalBearer: Record<string, string[]>[] = [{}, { bearerAuth: [] }];

/** A problem answer the error handler has no AppError kind for (400, 413, 415), with a shared code. */
function answer(request: FastifyRequest, reply: FastifyReply, status: 400 | 413 | 415, code: string, detail: string) {
  return sendProblem(reply, {
    type: `urn:staylane:problem:${code}`,
    title: TITLES[status]!,
    status,
    detail,
    instance: request.url.split('?')[0] ?? request.url,
    code,
  });
}

const MULTIPART_LIMIT_CODES = new Set(['FST_PARTS_LIMIT', 'FST_FILES_LIMIT', 'FST_FIELDS_LIMIT']);

export interface PhotosRoutesOptions {
  photos: PhotosApi;
}

/** Photos' REST routes: the upload (in a scope of its own), the rest, and /media for the filesystem store. */
export const photosRoutes: FastifyPluginAsyncZod<PhotosRoutesOptions> = async (app, options) => {
  await app.register(uploadRoute, options);
  await app.register(photoRoutes, options);
  await app.register(mediaRoute, options);
};

/**
 * The upload. The multipart parser is registered in this plugin's scope only: every other
 * route keeps the JSON body and its 1 MiB limit.
 */
const uploadRoute: FastifyPluginAsyncZod<PhotosRoutesOptions> = async (app, { photos }) => {
  await app.register(async (scope) => {
    await scope.register(multipart, { limits: UPLOAD_LIMITS, throwFileSizeLimit: true });
    // The form is read from the stream by the handler; its schema is for the document only.
    scope.setValidatorCompiler((route) =>
      route.httpPart === 'body'
        ? () => ({ value: undefined })
        : validatorCompiler(route as Parameters<typeof validatorCompiler>[0]),
    );
    scope.post(
      '/v1/properties/:id/photos',
      {
        config: { auth: 'required' },
        schema: {
          tags: ['photos'],
          operationId: 'createPropertyPhoto',
          summary: 'Upload a photo of a place (its host)',
          description: `\`multipart/form-data\` with one \`file\` part and an optional \`caption\` field (up to 200 characters); no other part. The file is streamed to disk and cut at 20 MiB (413 \`body_too_large\`); its type is read from its bytes, whatever the part's content type and file name say: JPEG, PNG or WebP, else 415 \`unsupported_media_type\`. Its size is read from its header before any pixel is decoded: more than 50 megapixels is 422 \`photo_too_many_pixels\`; less than 800 × 600 (either way round) is 422 \`photo_too_small\`. A place has at most ${MAX_PHOTOS_PER_PLACE} photos (409 \`too_many_photos\`), and a user makes at most PHOTO_UPLOADS_PER_DAY (200) uploads per 24 hours (429 \`photo_upload_limit\` with Retry-After). Answers 202 with the photo \`processing\`: a background job makes its 320, 960 and 1920 px wide WebP variants (never upscaled, oriented, every metadata block such as EXIF GPS removed) and its BlurHash, then it is \`ready\` (the first ready photo by position is the place's cover), or \`failed\` with a \`failureReason\` when the file cannot be decoded. GraphQL has no upload: photos are uploaded over REST.`,
          security: bearer,
          consumes: ['multipart/form-data'],
          params: PropertyIdParams,
          body: UploadPhotoForm,
          response: {
            202: Photo,
            ...problemResponses({
              403: ['not_property_owner'],
              404: ['property_not_found'],
              409: ['too_many_photos'],
              422: ['photo_too_many_pixels', 'photo_too_small'],
              429: ['photo_upload_limit'],
            }),
          },
        },
      },
      async (request, reply) => {
        const { id } = request.params as { id: string };
        if (!request.isMultipart()) {
          return answer(request, reply, 415, 'unsupported_media_type', 'Send multipart/form-data with a `file` part.');
        }
        await photos.prepareUpload(id, request.ctx);
        const target = uploadTarget(await photos.uploadDir());
        let refusal: Parameters<typeof answer> | undefined;
        let photo: Photo | undefined;
        try {
          const received = await receiveUpload(request, target);
          const caption = UploadCaption.safeParse(received.caption);
          photo = await photos.acceptUpload(id, received.file, caption.data ?? null, request.ctx);
        } catch (e) {
          const code = (e as { code?: unknown }).code;
          if (code === 'FST_REQ_FILE_TOO_LARGE') {
            refusal = [request, reply, 413, 'body_too_large', 'The photo is larger than 20 MiB.'];
          } else if (typeof code === 'string' && MULTIPART_LIMIT_CODES.has(code)) {
            refusal = [request, reply, 413, 'body_too_large', 'Send one `file` part and at most a `caption` field.'];
          } else if (e instanceof MalformedUpload) {
            refusal = [request, reply, 400, 'malformed_request', 'The multipart body could not be read.'];
          } else if (e instanceof UnsupportedImageType) {
            refusal = [request, reply, 415, 'unsupported_media_type', 'The file is not a JPEG, PNG or WebP image.'];
          } else throw e;
        } finally {
          // Whatever happened (stored, refused, cut, the client gone), before any answer: no temporary file stays.
          await rm(target, { force: true });
        }
        return refusal ? answer(...refusal) : reply.status(202).send(photo);
      },
    );
  });
};

/** A place's photos: the list, the order, captions, deletion. */
const photoRoutes: FastifyPluginAsyncZod<PhotosRoutesOptions> = async (app, { photos }) => {
  app.get(
    '/v1/properties/:id/photos',
    {
      schema: {
        tags: ['photos'],
        operationId: 'listPropertyPhotos',
        summary: 'Photos of a place',
        description:
          'Every photo, by position, whatever its status (`processing`, `ready`, `failed`), to the place’s host and admins; only the `ready` ones to anyone else, for a place they may see (a draft or unlisted place is 404 to them). At most 50, in one answer.',
        security: optionalBearer,
        params: PropertyIdParams,
        response: { 200: PhotoList, ...problemResponses({ 404: ['property_not_found'] }) },
      },
    },
    (request) => photos.listPhotos(request.params.id, request.ctx),
  );

  app.patch(
    '/v1/properties/:id/photos',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['photos'],
        operationId: 'setPhotoOrder',
        summary: 'Reorder the photos of a place (its host)',
        description:
          '`order` lists every photo id of the place exactly once (any status), in the new order: 422 `photo_order_mismatch` otherwise. Positions become 0, 1, 2… in that order; the first ready photo is the cover. Answers the reordered list.',
        security: bearer,
        params: PropertyIdParams,
        body: ReorderPhotosInput,
        response: {
          200: PhotoList,
          ...problemResponses({
            403: ['not_property_owner'],
            404: ['property_not_found'],
            422: ['photo_order_mismatch'],
          }),
        },
      },
    },
    (request) => photos.reorderPhotos(request.params.id, request.body, request.ctx),
  );

  app.patch(
    '/v1/properties/:id/photos/:photoId',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['photos'],
        operationId: 'updatePhoto',
        summary: 'Change a photo’s caption (the place’s host)',
        description: 'A photo of another place, or none, is 404 `photo_not_found`.',
        security: bearer,
        params: PhotoParams,
        body: UpdatePhotoInput,
        response: {
          200: Photo,
          ...problemResponses({ 403: ['not_property_owner'], 404: ['property_not_found', 'photo_not_found'] }),
        },
      },
    },
    (request) => photos.updatePhoto(request.params.id, request.params.photoId, request.body, request.ctx),
  );

  app.delete(
    '/v1/properties/:id/photos/:photoId',
    {
      config: { auth: 'required' },
      schema: {
        tags: ['photos'],
        operationId: 'deletePhoto',
        summary: 'Delete a photo (the place’s host)',
        description:
          'The photos after it move up one position. Its files are deleted once this has committed, by a background job that retries (files another photo shares are kept).',
        security: bearer,
        params: PhotoParams,
        response: {
          204: z.null().describe('Deleted'),
          ...problemResponses({ 403: ['not_property_owner'], 404: ['property_not_found', 'photo_not_found'] }),
        },
      },
    },
    async (request, reply) => {
      await photos.deletePhoto(request.params.id, request.params.photoId, request.ctx);
      return reply.status(204).send(null);
    },
  );
};

/** Files of the filesystem store, at /media. */
const mediaRoute: FastifyPluginAsyncZod<PhotosRoutesOptions> = async (app, { photos }) => {
  const pathOf = photos.store.pathOf?.bind(photos.store);
  if (!pathOf) return;
  // Only keys of the variant pattern are served: never an original waiting under uploads/,
  // never a path a client made up.
  app.get(
    '/media/:place/:file',
    {
      config: { rateLimit: false },
      schema: {
        hide: true,
        params: z.object({ place: z.string().max(40), file: z.string().max(80) }),
      },
    },
    async (request, reply) => {
      const key = `${request.params.place}/${request.params.file}`;
      if (!VARIANT_KEY.test(key)) return reply.callNotFound();
      const file = pathOf(key);
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) return reply.callNotFound();
      // Content-addressed: the key names the bytes for ever.
      const etag = `"${request.params.file.replace(/\.webp$/, '')}"`;
      reply
        .header('etag', etag)
        .header('cache-control', IMMUTABLE)
        .header('cross-origin-resource-policy', 'cross-origin');
      if (request.headers['if-none-match']?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
        return reply.status(304).send();
      }
      return reply.type('image/webp').header('content-length', info.size).send(createReadStream(file));
    },
  );
};
