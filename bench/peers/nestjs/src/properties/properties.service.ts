import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PhotosService } from '../photos/photos.service.js';
import { PropertyDto } from './property.dto.js';
import { Property } from './property.entity.js';

@Injectable()
export class PropertiesService {
  constructor(
    @InjectRepository(Property) private readonly properties: Repository<Property>,
    private readonly photosService: PhotosService,
  ) {}

  /**
   * A listed place with its ready photos; drafts, unlisted and deleted places (the entity's
   * @DeleteDateColumn leaves those out) are not found.
   */
  async findListed(id: string): Promise<PropertyDto> {
    const property = await this.properties.findOneBy({ id });
    if (!property || property.status !== 'listed') throw new NotFoundException(`Property ${id} not found`);
    return PropertyDto.fromEntity(property, await this.photosService.listReady(id));
  }
}
