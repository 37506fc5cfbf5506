import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { ROLES } from '../../platform/context.js';
import { citext } from '../../platform/db/columns.js';

/** `closed`: the owner closed the account; its personal data is erased (DELETE /v1/me). */
export const USER_STATUSES = ['active', 'suspended', 'closed'] as const;
/** The statuses an admin may set: a closed account stays closed. */
export const ADMIN_SETTABLE_STATUSES = ['active', 'suspended'] as const;

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: citext('email').notNull().unique('users_email_key'),
    passwordHash: text('password_hash').notNull(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    phone: text('phone'),
    role: text('role', { enum: ROLES }).notNull().default('guest'),
    status: text('status', { enum: USER_STATUSES }).notNull().default('active'),
    emailVerified: boolean('email_verified').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /**
     * The user's rating as a guest: the published reviews hosts wrote of their stays, kept
     * as a sum and a count changed by one atomic UPDATE per review (see addGuestRating), so
     * concurrent publications keep both exact; the average is computed from them when read.
     */
    guestRatingSum: integer('guest_rating_sum').notNull().default(0),
    guestRatingCount: integer('guest_rating_count').notNull().default(0),
  },
  (t) => [index('users_created_at_id_idx').on(t.createdAt.desc(), t.id.desc())],
);

/**
 * One sign-in (register or login): what the caller's access tokens name in their `sid`
 * claim and what `GET /v1/me/sessions` lists. Revoking it ends its refresh tokens and,
 * since every authenticated call reads it beside the user, its access tokens at once.
 * `expires_at` follows the newest refresh token, so a session no one can refresh is over.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
    /** The client address and user agent last seen (at sign-in, then at each refresh). */
    ip: text('ip'),
    userAgent: text('user_agent'),
    revokedAt: timestamp('revoked_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [
    index('sessions_user_created_idx').on(t.userId, t.createdAt.desc(), t.id.desc()),
    index('sessions_expires_idx').on(t.expiresAt),
  ],
);

export type SessionRow = typeof sessions.$inferSelect;

/**
 * Opaque refresh tokens, stored as SHA-256 hashes. Every rotation issues a new row in
 * the same family, and a family is one session (`family_id` is the session's id);
 * presenting a rotated token revokes the whole session.
 */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    familyId: uuid('family_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique('refresh_tokens_token_hash_key'),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
    rotatedAt: timestamp('rotated_at', { withTimezone: true, precision: 3 }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, precision: 3 }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index('refresh_tokens_family_idx').on(t.familyId),
    index('refresh_tokens_user_idx').on(t.userId),
    index('refresh_tokens_expires_idx')
      .on(t.expiresAt)
      .where(sql`revoked_at is null`),
  ],
);

export type UserRow = typeof users.$inferSelect;
export type RefreshTokenRow = typeof refreshTokens.$inferSelect;

export const USER_TOKEN_PURPOSES = ['verify_email', 'password_reset'] as const;
export type UserTokenPurpose = (typeof USER_TOKEN_PURPOSES)[number];

/**
 * Single-use tokens sent by e-mail (verify the address, reset the password), stored as
 * SHA-256 hashes: the database never holds a usable token. `used_at` set = spent.
 */
export const userTokens = pgTable(
  'user_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: USER_TOKEN_PURPOSES }).notNull(),
    tokenHash: text('token_hash').notNull().unique('user_tokens_token_hash_key'),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true, precision: 3 }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('user_tokens_user_idx').on(t.userId, t.purpose)],
);

export type UserTokenRow = typeof userTokens.$inferSelect;
