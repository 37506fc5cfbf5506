import { z } from 'zod';
import { int } from '../../config.js';
import { defineSettings } from '../../module.js';

/** The iCal module's environment variables: how often imported feeds are fetched, and from where. */
export const icalSettings = defineSettings({
  env: z.object({
    ICAL_SYNC_MINUTES: int(15, 5, 1440).describe('Minutes between two fetches of each imported calendar feed'),
    ICAL_ALLOW_PRIVATE: z
      .enum(['true', 'false'])
      .default('false')
      .describe(
        'true lets imported feeds be fetched from private, loopback and link-local addresses (tests only; refused in production)',
      ),
  }),
  check(env, platform, report) {
    if (platform.isProduction && env.ICAL_ALLOW_PRIVATE === 'true') {
      report('ICAL_ALLOW_PRIVATE', 'must not be true in production');
    }
  },
  read: (env) => ({ syncMinutes: env.ICAL_SYNC_MINUTES, allowPrivate: env.ICAL_ALLOW_PRIVATE === 'true' }),
});

export type IcalSettings = ReturnType<typeof icalSettings.read>;
