import { z } from 'zod';
import { optionalString } from '../../config.js';
import { defineSettings } from '../../module.js';

/** The users module's environment variables: the first admin, created at start-up. */
export const usersSettings = defineSettings({
  env: z.object({
    ADMIN_EMAIL: optionalString
      .pipe(z.email().optional())
      .describe("First admin's e-mail: start-up creates this admin unless that e-mail exists"),
    ADMIN_PASSWORD: optionalString
      .refine((v) => v === undefined || v.length >= 10, { message: 'must be at least 10 characters' })
      .describe("First admin's password (>= 10 characters and not easy to guess, else start-up stops)"),
  }),
  check: (env, _platform, report) => {
    if (Boolean(env.ADMIN_EMAIL) !== Boolean(env.ADMIN_PASSWORD)) {
      report(env.ADMIN_EMAIL ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL', 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
    }
  },
  read: (env) => ({
    admin: env.ADMIN_EMAIL && env.ADMIN_PASSWORD ? { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD } : undefined,
  }),
});

export type UsersSettings = ReturnType<typeof usersSettings.read>;
