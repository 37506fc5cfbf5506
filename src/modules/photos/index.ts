// Photos of places: uploads (multipart, streamed to disk, checked from their bytes), the
// processing job that makes WebP variants and a BlurHash with every metadata block removed,
// their order and captions, the media store they live in (DATA_DIR/media served at /media,
// or an S3-compatible bucket), and the cover and photo list places carry (a `shared`
// extension of the properties module, cached with the place).
import path from 'node:path';
import { defineModule } from '../../module.js';
import { propertiesModule } from '../properties/index.js';
import { photosConstraints } from './photos.errors.js';
import { photosGraphql } from './photos.graphql.js';
import { photosJobs } from './photos.jobs.js';
import { photosRoutes } from './photos.routes.js';
import { seedPhotos } from './photos.seed.js';
import { createPhotosService } from './photos.service.js';
import { photosSettings } from './photos.settings.js';
import { createFileStore, createS3Store } from './photos.storage.js';
import { photos } from './photos.table.js';

export const photosModule = defineModule({
  name: 'photos',
  // properties: the place's owner and visibility, and the extension that puts photos on places.
  dependsOn: [propertiesModule],
  tables: { photos },
  settings: photosSettings,
  openapi: { tags: [{ name: 'photos', description: 'Photos of places: uploads, processing, order and captions' }] },
  constraints: photosConstraints,
  createService: ({ db, clock, counters, config, settings, properties }) =>
    createPhotosService({
      db,
      clock,
      counters,
      properties,
      store: settings.s3
        ? createS3Store({ ...settings.s3, publicUrl: settings.publicUrl })
        : createFileStore(path.join(config.dataDir, 'media'), settings.publicUrl),
      uploadsPerDay: settings.uploadsPerDay,
      processingConcurrency: settings.processingConcurrency,
      // Without Redis, `serve` runs the jobs itself: it starts a photo's processing at once.
      processOnUpload: !config.redisUrl,
    }),
  routes: (service) => (app) => photosRoutes(app, { photos: service }),
  graphql: (service) => photosGraphql(service),
  jobs: (service) => photosJobs(service),
  seed: (run, { properties }) => seedPhotos(run, properties),
  // A deleted place's photos go in the delete's transaction; their files after it, by a job.
  listens: (service) => ({ 'property.deleted': (tx, event) => service.onPropertyDeleted(tx, event) }),
});
