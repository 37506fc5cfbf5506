import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, operations, paths } from './schema.js';

/**
 * A typed client of the Staylane REST API: openapi-fetch over the types generated from
 * openapi.json (schema.ts). Every path, parameter, body and answer is checked by the
 * compiler; a call answers `{ data, error, response }`, with `error` the problem details
 * of a 4xx or 5xx (`error.code` narrowed to the codes that answer can carry).
 *
 *   const api = createStaylaneClient('https://api.example.com', { token: () => session?.accessToken });
 *   const { data, error } = await api.GET('/v1/properties/{id}', { params: { path: { id } } });
 */

export type { components, operations, paths };
export type Schemas = components['schemas'];
export type Problem = Schemas['Problem'];
export type StaylaneClient = Client<paths>;

export interface StaylaneClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /**
   * The access token sent as `Authorization: Bearer …` on every call: a string, or a
   * function asked before each call (return undefined to call anonymously), so that a
   * refreshed token is picked up without building a new client.
   */
  token?: string | (() => string | undefined);
}

export function createStaylaneClient(baseUrl: string, options: StaylaneClientOptions = {}): StaylaneClient {
  const { token, ...rest } = options;
  const client = createClient<paths>({ ...rest, baseUrl });
  if (token !== undefined) {
    client.use({
      onRequest({ request }) {
        const value = typeof token === 'function' ? token() : token;
        if (value) request.headers.set('authorization', `Bearer ${value}`);
        return request;
      },
    });
  }
  return client;
}
