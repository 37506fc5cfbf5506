import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/**
 * Signing secrets: made as `whsec_` + base64 of 24 random bytes (the Standard Webhooks
 * form), shown to the owner once, and kept encrypted at rest with AES-256-GCM — signing
 * needs the secret itself, so a hash would not do. The key is WEBHOOK_SECRET_KEY, or
 * derived from JWT_SECRET with HKDF when unset.
 */
export interface SecretBox {
  seal(secret: string): string;
  open(sealed: string): string;
}

const DEV_KEY_MATERIAL = 'staylane-development-webhook-key';

export function deriveSecretKey(explicitBase64: string | undefined, jwtSecret: string | undefined): Buffer {
  if (explicitBase64) return Buffer.from(explicitBase64, 'base64');
  return Buffer.from(hkdfSync('sha256', jwtSecret ?? DEV_KEY_MATERIAL, 'staylane', 'webhook-secrets', 32));
}

export function createSecretBox(key: Buffer): SecretBox {
  return {
    seal(secret) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
    },
    open(sealed) {
      const [, iv, tag, body] = sealed.split('.');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv!, 'base64'));
      decipher.setAuthTag(Buffer.from(tag!, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body!, 'base64')), decipher.final()]).toString('utf8');
    },
  };
}

export const newSigningSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

/**
 * The `webhook-signature` header: one `v1,<base64>` per live secret, space-separated, so a
 * receiver holding either the new or the previous secret verifies during a rotation.
 */
export function signatureHeader(secrets: readonly string[], msgId: string, at: Date, body: string): string {
  return secrets.map((s) => signer(s).sign(msgId, at, body)).join(' ');
}

// A signer decodes its secret once: kept for the few endpoints a worker is delivering to.
const signers = new Map<string, Webhook>();
function signer(secret: string): Webhook {
  let found = signers.get(secret);
  if (!found) {
    if (signers.size >= 1_000) signers.clear();
    found = new Webhook(secret);
    signers.set(secret, found);
  }
  return found;
}
