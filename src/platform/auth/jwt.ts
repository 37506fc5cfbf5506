import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';

export interface AccessClaims {
  sub: string;
  role: string;
  /** The session (sign-in) the token was issued for: it stops working when that session ends. */
  sid?: string;
}

/**
 * A token for one narrower use (e.g. the queue dashboard's cookie) carries an audience:
 * verified only where that audience is asked for, and never accepted as an access token.
 */
export interface TokenScope {
  audience?: string;
}

export interface JwtService {
  readonly expiresIn: number;
  sign(claims: AccessClaims, scope?: TokenScope): Promise<string>;
  /** The claims of a valid token, or undefined for a missing, expired, tampered or foreign one. */
  verify(token: string, scope?: TokenScope): Promise<AccessClaims | undefined>;
}

const ISSUER = 'staylane';
const ALGORITHM = 'HS256';

export function createJwtService(secret: string, expiresInSeconds = 15 * 60): JwtService {
  const key = new TextEncoder().encode(secret);
  return {
    expiresIn: expiresInSeconds,
    sign: (claims, scope = {}) => {
      const jwt = new SignJWT(claims.sid ? { role: claims.role, sid: claims.sid } : { role: claims.role })
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setSubject(claims.sub)
        .setIssuer(ISSUER)
        .setIssuedAt()
        .setExpirationTime(`${expiresInSeconds}s`);
      return (scope.audience ? jwt.setAudience(scope.audience) : jwt).sign(key);
    },
    async verify(token, scope = {}) {
      try {
        // Pinning the algorithm rejects `alg: none` and any asymmetric confusion. jose checks
        // `exp` only when present, so a token without one would otherwise never expire.
        const { payload } = await jwtVerify(token, key, {
          algorithms: [ALGORITHM],
          issuer: ISSUER,
          requiredClaims: ['exp'],
          audience: scope.audience,
        });
        // jose checks `aud` only when asked: a scoped token must not pass as an access token.
        if (!scope.audience && payload.aud !== undefined) return undefined;
        if (typeof payload.sub !== 'string' || typeof payload.role !== 'string') return undefined;
        const sid = typeof payload.sid === 'string' ? { sid: payload.sid } : {};
        return { sub: payload.sub, role: payload.role, ...sid };
      } catch (e) {
        if (e instanceof joseErrors.JOSEError || e instanceof TypeError) return undefined;
        throw e;
      }
    },
  };
}

/**
 * The signing secret: JWT_SECRET when given, else one generated on first start and kept in
 * DATA_DIR so that tokens survive restarts.
 */
export async function resolveJwtSecret(configured: string | undefined, dataDir: string): Promise<string> {
  if (configured) return configured;
  const file = path.join(dataDir, 'jwt-secret');
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing.length >= 32) return existing;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await mkdir(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  await writeFile(file, secret + '\n', { mode: 0o600 });
  return secret;
}
