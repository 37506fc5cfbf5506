import { defineConfig } from 'drizzle-kit';

// Used only by `npm run db:generate`; migrations are applied by `staylane migrate`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/platform/db/schema.ts',
  out: './src/platform/db/migrations',
});
