import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PhotoDto } from './photo.dto.js';
import { Photo } from './photo.entity.js';

@Injectable()
export class PhotosService {
  constructor(@InjectRepository(Photo) private readonly photos: Repository<Photo>) {}

  /** A place's processed photos, cover first. */
  async listReady(propertyId: string): Promise<PhotoDto[]> {
    const photos = await this.photos.find({
      where: { propertyId, status: 'ready' },
      order: { position: 'ASC', id: 'ASC' },
    });
    return photos.map((photo) => PhotoDto.fromEntity(photo));
  }
}
