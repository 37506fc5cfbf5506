import { deflateSync, crc32 } from 'node:zlib';
import sharp from 'sharp';

/**
 * Test images made on the spot: photo-like JPEGs (a gradient, shapes and grain, so they
 * compress like photos), with EXIF GPS tags when asked; a PNG whose header declares a size
 * its few bytes do not hold; and multipart bodies for `inject`.
 */

export const GPS_EXIF = {
  IFD0: { Make: 'Staylane Test Camera', Model: 'T-1' },
  IFD3: {
    GPSLatitudeRef: 'N',
    GPSLatitude: '38/1 42/1 5012/100',
    GPSLongitudeRef: 'W',
    GPSLongitude: '9/1 8/1 2034/100',
  },
};

export async function photoLike(
  width: number,
  height: number,
  options: { format?: 'jpeg' | 'png' | 'webp'; gps?: boolean; orientation?: number; hue?: number } = {},
): Promise<Buffer> {
  const hue = options.hue ?? 200;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="hsl(${hue},70%,70%)"/><stop offset="1" stop-color="hsl(${hue + 120},60%,25%)"/>
    </linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="${width * 0.7}" cy="${height * 0.3}" r="${Math.min(width, height) / 6}" fill="#ffd966"/>
    <rect x="${width * 0.1}" y="${height * 0.6}" width="${width * 0.4}" height="${height * 0.3}" fill="#335533"/>
  </svg>`;
  const grain = await sharp({
    create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 20 } },
  })
    .raw()
    .toBuffer();
  let image = sharp(Buffer.from(svg))
    .resize(width, height)
    .composite([{ input: grain, raw: { width, height, channels: 3 }, blend: 'soft-light' }]);
  const format = options.format ?? 'jpeg';
  if (format === 'jpeg') {
    const flat = await image.jpeg({ quality: 90 }).toBuffer();
    image = sharp(flat).jpeg({ quality: 90 });
    if (options.gps) image = image.withExif(GPS_EXIF);
    if (options.orientation) image = image.withMetadata({ orientation: options.orientation });
    return image.toBuffer();
  }
  return format === 'png' ? image.png({ compressionLevel: 1 }).toBuffer() : image.webp().toBuffer();
}

/** A valid PNG header declaring `width` × `height`, with one tiny compressed row: nothing like that many pixels. */
export function pngDeclaring(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'ascii'), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(16))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export interface Part {
  name: string;
  value: Buffer | string;
  filename?: string;
  contentType?: string;
}

/** A multipart/form-data body and its content type. */
export function multipartBody(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----staylane${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ''}`;
    const type = part.filename ? `\r\nContent-Type: ${part.contentType ?? 'application/octet-stream'}` : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}${type}\r\n\r\n`));
    chunks.push(Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** The multipart body of an upload: the file (as a JPEG named photo.jpg unless told) and an optional caption. */
export function uploadBody(file: Buffer, options: { caption?: string; filename?: string; contentType?: string } = {}) {
  return multipartBody([
    {
      name: 'file',
      value: file,
      filename: options.filename ?? 'photo.jpg',
      contentType: options.contentType ?? 'image/jpeg',
    },
    ...(options.caption !== undefined ? [{ name: 'caption', value: options.caption }] : []),
  ]);
}
