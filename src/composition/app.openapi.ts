import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { AnyModule, OpenapiTag } from '../module.js';
import { finishDocument, transformRoute } from './openapi-document.js';

/**
 * The order the published document has always listed these tags in, kept so that it does
 * not change. Tags of any other module follow them in the modules' order.
 */
const PUBLISHED_TAG_ORDER = ['auth', 'me', 'properties', 'bookings', 'payments', 'messages', 'reviews', 'admin'];

/** The document's tags: every module's (see PUBLISHED_TAG_ORDER). */
export function openapiTags(modules: readonly AnyModule[]): OpenapiTag[] {
  const declared = modules.flatMap((module) => module.openapi?.tags ?? []);
  const rank = (tag: OpenapiTag) => {
    const at = PUBLISHED_TAG_ORDER.indexOf(tag.name);
    return at === -1 ? PUBLISHED_TAG_ORDER.length : at;
  };
  // A stable sort: unlisted tags keep the modules' order among themselves.
  return declared
    .sort((a, b) => rank(a) - rank(b))
    .map(({ name, description }) => ({
      name,
      description,
    }));
}

/** The OpenAPI document's generator, before any route is registered. */
export async function registerOpenapi(app: FastifyInstance, modules: readonly AnyModule[]) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Staylane API',
        version: '1',
        description:
          'REST API of Staylane, a property-rental marketplace. Errors are `application/problem+json` (RFC 9457) with a stable `code`; each answer lists the codes it can carry. Lists are keyset-paginated with `limit` and an opaque `cursor`. How to use it, and the typed TypeScript client, are in docs/api.md.',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      // Relative: the document is right wherever it is served from, and Swagger UI's
      // "Try it out" calls the origin the page came from.
      servers: [{ url: '/', description: 'The origin serving this document' }],
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description: 'The `accessToken` of `POST /v1/auth/login`, `register` or `refresh`.',
          },
        },
      },
      tags: openapiTags(modules),
    },
    transform: transformRoute,
    transformObject: finishDocument,
  });
}

/** Swagger UI at /docs and the document at /openapi.json, after every route. */
export async function registerOpenapiDocs(app: FastifyInstance, config: Config) {
  // Swagger UI's page and scripts are files of this origin (no inline script); its bundle
  // sets a few inline styles as it renders, so styles alone allow inline. "Try it out" may
  // call the API's public origin; no validator badge is fetched from elsewhere.
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { validatorUrl: null },
    staticCSP: {
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:'],
      'connect-src': ["'self'", new URL(config.publicUrl).origin],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    },
  });
  app.get('/openapi.json', { schema: { hide: true }, config: { rateLimit: false } }, () => app.swagger());
}
