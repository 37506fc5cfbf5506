import { createHmac, timingSafeEqual } from 'node:crypto';

/** Hex HMAC-SHA256 of `payload` with `secret`. */
export function hmacSha256Hex(secret: string, payload: Buffer | string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/**
 * Constant-time comparison of two signatures. The length check comes first because
 * timingSafeEqual throws on unequal lengths; a length says nothing about the secret.
 */
export function safeEqual(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export const STRIPE_TOLERANCE_SECONDS = 300;

/** A `Stripe-Signature` header value for `rawBody` at `timestamp` (seconds): what Stripe sends, and what fakes sign with. */
export function stripeSignatureHeader(secret: string, rawBody: Buffer | string, timestamp: number): string {
  const body = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
  return `t=${timestamp},v1=${hmacSha256Hex(secret, `${timestamp}.${body}`)}`;
}

/**
 * Stripe's scheme: `t=<seconds>,v1=<hex>[,v1=…]`, the HMAC of `${t}.${rawBody}`; any v1 may
 * match (secrets being rolled), and a timestamp more than `tolerance` seconds away from now
 * is refused so that a captured delivery cannot be replayed later.
 */
export function verifyStripeSignature(
  secret: string,
  rawBody: Buffer,
  header: string | undefined,
  nowSeconds: number,
  tolerance = STRIPE_TOLERANCE_SECONDS,
): boolean {
  if (!header || header.length > 4096) return false;
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1') signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) return false;
  if (Math.abs(nowSeconds - timestamp) > tolerance) return false;
  const signed = Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), rawBody]);
  const expected = hmacSha256Hex(secret, signed);
  // Every candidate is compared, so the time taken does not say which one matched.
  let matched = false;
  for (const candidate of signatures) matched = safeEqual(expected, candidate) || matched;
  return matched;
}
