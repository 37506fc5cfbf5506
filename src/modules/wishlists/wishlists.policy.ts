import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Most lists a user keeps. */
export const MAX_WISHLISTS_PER_USER = 50;
/** Most places one list keeps, counting places that are unlisted for now (they may come back). */
export const MAX_PLACES_PER_WISHLIST = 1000;
/** A list's name, once trimmed. */
export const WISHLIST_NAME_MAX_LENGTH = 100;

/** 32 random bytes, base64url without padding: 43 characters. */
const SHARE_TOKEN_BYTES = 32;
export const SHARE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A new share token (256 random bits) and the digest it is looked up by. */
export function newShareToken(): { token: string; hash: string } {
  const token = randomBytes(SHARE_TOKEN_BYTES).toString('base64url');
  return { token, hash: shareTokenHash(token) };
}

export const shareTokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Constant-time comparison of a stored token with one presented. */
export function sameToken(stored: string, presented: string): boolean {
  const a = Buffer.from(stored, 'utf8');
  const b = Buffer.from(presented, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

// The first key of the owners' advisory locks: 'wish' in ASCII, apart from other lock users.
export const WISHLIST_OWNER_LOCK = 0x77697368;
