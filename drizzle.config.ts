import { defineConfig } from 'drizzle-kit';

// Used only by `npm run db:generate`; migrations are applied by `staylane migrate`. Each
// module keeps its tables in `<name>.table.ts` (listed in its definition's `tables`), so
// a new module's tables are found without another list to edit.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/modules/*/*.table.ts', './src/platform/*/*.table.ts'],
  out: './src/platform/db/migrations',
});
