import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { PropertiesService } from './properties.service.js';
import type { PropertyDto } from './property.dto.js';

@Controller('v1/properties')
export class PropertiesController {
  constructor(private readonly propertiesService: PropertiesService) {}

  @Get(':id')
  findOne(@Param('id', ParseUUIDPipe) id: string): Promise<PropertyDto> {
    return this.propertiesService.findListed(id);
  }
}
