import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Photo } from './photos/photo.entity.js';
import { PropertiesModule } from './properties/properties.module.js';
import { Property } from './properties/property.entity.js';

@Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'postgres',
      url: process.env.DATABASE_URL,
      entities: [Property, Photo],
      // The schema belongs to Staylane's migrations.
      synchronize: false,
      logging: ['error'],
      // node-postgres pool size, as Staylane's.
      extra: { max: Number(process.env.POOL_MAX ?? 10) },
    }),
    PropertiesModule,
  ],
})
export class AppModule {}
