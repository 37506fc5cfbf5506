import type { FastifyInstance } from 'fastify';
import { AppError } from '../platform/errors.js';
import { NUL_MESSAGE, nulPaths } from '../platform/validation.js';

/**
 * PostgreSQL stores no U+0000 in text or jsonb, so a NUL anywhere in the input is refused
 * here, once for every route, before any schema or service sees it: a 422 naming each
 * field, or 404 for a path parameter (such a path names no resource).
 */
export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (nulPaths(request.params).length > 0) throw new AppError('not_found', 'not_found', 'Not found.');
    const errors = [
      ...nulPaths(request.query).map((path) => ({ path, message: NUL_MESSAGE })),
      ...nulPaths(request.body).map((path) => ({ path, message: NUL_MESSAGE })),
    ];
    if (errors.length > 0) throw new AppError('invalid', 'validation_failed', 'The request is not valid.', { errors });
  });
}
