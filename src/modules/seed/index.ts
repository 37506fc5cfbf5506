// Demo and benchmark data: realistic users, hosts, properties and calendar blocks,
// generated deterministically from a seed and written in multi-row batches.
export {
  DEFAULT_SEED,
  SEED_EMAIL_DOMAIN,
  SEED_PASSWORD,
  seedDatabase,
  type SeedOptions,
  type SeedProgress,
  type SeedSummary,
} from './seed.service.js';
export { createSeedProgress, formatSeedSummary, type ProgressOutput } from './seed.progress.js';
export { SEED_CITIES, CITY_RADIUS_KM, AMENITIES, type SeedCity } from './seed.data.js';
export { createRandom, type Random } from './seed.random.js';
