import http from 'node:http';
import https from 'node:https';
import { BlockedAddressError, checkLiteralHost, guardedLookup, isPublicAddress } from './address-guard.js';

export { isPublicAddress, BlockedAddressError } from './address-guard.js';

/**
 * GET of a URL given by a user (imported calendars; webhooks next), guarded against
 * server-side request forgery: http and https only, each hop's address checked after DNS
 * resolution (no private, loopback, link-local … address unless `allowPrivate`),
 * redirects followed by hand and each checked again, one deadline for the whole exchange,
 * and the body capped while it streams.
 */
export interface SafeFetchOptions {
  /** Lets requests reach private, loopback and link-local addresses (tests serving from 127.0.0.1). */
  allowPrivate: boolean;
  /** Replaces the address rule (tests: one loopback server allowed, everything else refused). */
  allowAddress?: (address: string) => boolean;
  /** For the whole exchange, redirects and body included. */
  timeoutMs: number;
  /** The body is refused (and the transfer stopped) beyond this many bytes. */
  maxBytes: number;
  /** Redirects followed at most (each hop is checked like the first). */
  maxRedirects?: number;
  /** Request headers (If-None-Match, If-Modified-Since, User-Agent …). */
  headers?: Record<string, string>;
  /** GET unless told (webhook deliveries POST their body). */
  method?: 'GET' | 'POST';
  body?: string | Buffer;
  /**
   * Keep-alive agents to reuse connections (webhook deliveries); each new connection's
   * address is still checked by the guarded lookup. One fresh connection per request when absent.
   */
  agents?: { http: http.Agent; https: https.Agent };
}

export interface SafeFetchResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The URL that answered (after redirects). */
  url: string;
}

export type SafeFetchErrorCode =
  'invalid_url' | 'blocked_address' | 'too_many_redirects' | 'timeout' | 'too_large' | 'network';

const MESSAGES: Record<SafeFetchErrorCode, string> = {
  invalid_url: 'The URL is not an http or https URL.',
  blocked_address: 'The address is not a public one.',
  too_many_redirects: 'Too many redirects.',
  timeout: 'The server did not answer in time.',
  too_large: 'The answer is too large.',
  network: 'The server could not be reached.',
};

/** Why a fetch failed, with a short message safe to show (never a stack or an address). */
export class SafeFetchError extends Error {
  constructor(readonly code: SafeFetchErrorCode) {
    super(MESSAGES[code]);
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** An http(s) URL with no credentials in it, or undefined. */
export function parseFetchableUrl(raw: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password) return undefined;
  return url;
}

const allowAll = () => true;

function once(url: URL, options: SafeFetchOptions, signal: AbortSignal): Promise<SafeFetchResponse> {
  const allowed = options.allowAddress ?? (options.allowPrivate ? allowAll : isPublicAddress);
  return new Promise((resolve, reject) => {
    try {
      checkLiteralHost(url.hostname, allowed);
    } catch {
      return reject(new SafeFetchError('blocked_address'));
    }
    const client = url.protocol === 'https:' ? https : http;
    const agent = options.agents ? (url.protocol === 'https:' ? options.agents.https : options.agents.http) : false;
    const request = client.request(
      url,
      {
        method: options.method ?? 'GET',
        headers: { 'accept-encoding': 'identity', ...options.headers },
        lookup: guardedLookup(allowed) as never,
        signal,
        agent,
      },
      (response) => {
        const declared = Number(response.headers['content-length']);
        if (Number.isFinite(declared) && declared > options.maxBytes) {
          response.destroy();
          return reject(new SafeFetchError('too_large'));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) {
            response.destroy();
            reject(new SafeFetchError('too_large'));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
            url: url.href,
          }),
        );
        response.on('error', (e) => reject(classify(e, signal)));
      },
    );
    request.on('error', (e) => reject(classify(e, signal)));
    request.end(options.body);
  });
}

function classify(e: unknown, signal: AbortSignal): SafeFetchError {
  if (e instanceof SafeFetchError) return e;
  if (signal.aborted) return new SafeFetchError('timeout');
  if (e instanceof BlockedAddressError || (e as { code?: string }).code === 'blocked_address') {
    return new SafeFetchError('blocked_address');
  }
  return new SafeFetchError('network');
}

/**
 * GETs `raw` under the guard (see SafeFetchOptions). Any answer but a redirect is
 * returned whatever its status (304 included); a redirect without a usable Location is
 * returned as it is. Throws SafeFetchError.
 */
export async function safeFetch(raw: string, options: SafeFetchOptions): Promise<SafeFetchResponse> {
  let url = parseFetchableUrl(raw);
  if (!url) throw new SafeFetchError('invalid_url');
  const signal = AbortSignal.timeout(options.timeoutMs);
  const maxRedirects = options.maxRedirects ?? 5;
  for (let hop = 0; ; hop++) {
    const response = await once(url, options, signal);
    const location = response.headers.location;
    if (!REDIRECTS.has(response.status) || !location) return response;
    if (hop >= maxRedirects) throw new SafeFetchError('too_many_redirects');
    let next: URL | undefined;
    try {
      next = parseFetchableUrl(new URL(location, url).href);
    } catch {
      next = undefined;
    }
    if (!next) throw new SafeFetchError('invalid_url');
    url = next;
  }
}
