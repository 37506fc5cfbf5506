import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.js';
import { captionTooLong, photoFileMissing, unknownUploadPart } from './photos.errors.js';
import type { UploadedFile } from './photos.uploads.js';

/** 20 MiB: larger files are cut while they stream (413), never held whole. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/**
 * The multipart parser's bounds for the upload route: one file, one field (the caption, at
 * most 200 characters, so 1 KiB of UTF-8), no more parts than those, short names and few
 * headers per part.
 */
export const UPLOAD_LIMITS = {
  fileSize: MAX_UPLOAD_BYTES,
  files: 1,
  fields: 1,
  parts: 2,
  fieldSize: 1024,
  fieldNameSize: 100,
  headerPairs: 20,
} as const;

/** The body is not multipart the parser can read: a broken part header, an end before the closing boundary. */
export class MalformedUpload extends Error {}

/** What `receiveUpload` passes on as it is: our refusals, the parser's limits (FST_*), and the file system's failures. */
const passedOn = (e: unknown) => {
  const { code, syscall } = e as { code?: unknown; syscall?: unknown };
  return e instanceof AppError || typeof syscall === 'string' || (typeof code === 'string' && code.startsWith('FST_'));
};

export interface ReceivedUpload {
  file: UploadedFile;
  caption: string | undefined;
}

/**
 * Reads an upload's parts: the `file` part streamed to the new file `target` while its
 * SHA-256 is computed (the size limit cuts it at MAX_UPLOAD_BYTES), the `caption` field as
 * text. The caller removes `target` whatever happens (it is removed here too when reading fails).
 */
export async function receiveUpload(request: FastifyRequest, target: string): Promise<ReceivedUpload> {
  let file: UploadedFile | undefined;
  let caption: string | undefined;
  try {
    for await (const part of request.parts({ limits: UPLOAD_LIMITS })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          part.file.resume();
          throw unknownUploadPart(part.fieldname);
        }
        const hash = createHash('sha256');
        const tap = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            hash.update(chunk);
            done(null, chunk);
          },
        });
        await pipeline(part.file, tap, createWriteStream(target, { flags: 'wx' }));
        file = { path: target, sha256: hash.digest('hex') };
      } else {
        if (part.fieldname !== 'caption') throw unknownUploadPart(part.fieldname);
        if (part.valueTruncated || typeof part.value !== 'string') throw captionTooLong();
        caption = part.value;
      }
    }
  } catch (e) {
    await rm(target, { force: true });
    throw passedOn(e) ? e : new MalformedUpload('The multipart body could not be read.', { cause: e });
  }
  if (!file) throw photoFileMissing();
  return { file, caption };
}

/** A fresh temporary file name under `dir`. */
export const uploadTarget = (dir: string) => path.join(dir, `${randomUUID()}.upload`);
