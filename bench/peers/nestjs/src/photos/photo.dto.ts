import type { Photo } from './photo.entity.js';

const variant = (prefix: string, width: number) => `/media/${prefix}-${width}.webp`;

export class PhotoDto {
  id: string;
  status: string;
  caption: string | null;
  width: number | null;
  height: number | null;
  blurhash: string | null;
  urls: { small: string; medium: string; large: string };
  position: number;
  failureReason: string | null;
  createdAt: string;

  static fromEntity(p: Photo): PhotoDto {
    const dto = new PhotoDto();
    dto.id = p.id;
    dto.status = p.status;
    dto.caption = p.caption;
    dto.width = p.width;
    dto.height = p.height;
    dto.blurhash = p.blurhash;
    dto.urls = {
      small: variant(p.keyPrefix, 320),
      medium: variant(p.keyPrefix, 960),
      large: variant(p.keyPrefix, 1920),
    };
    dto.position = p.position;
    dto.failureReason = p.failureReason;
    dto.createdAt = p.createdAt.toISOString();
    return dto;
  }
}
