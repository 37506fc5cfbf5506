import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import {
  fieldErrors,
  invalidValue,
  isAppError,
  isInvalidDataError,
  isUnavailableError,
  pgErrorCode,
  UNAVAILABLE_RETRY_SECONDS,
  type AppError,
  type FieldError,
} from '../platform/errors.js';
import { STATUS_BY_KIND, TITLES, type Problem } from './problem.js';

/**
 * The one REST error mapping: AppError kinds, Fastify's own errors (parsing, body size,
 * media type, validation) and anything unexpected become problem+json. 5xx answers are
 * generic; the details go to the log only.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    // A value the database refused is the client's error; the schemas should have caught it.
    if (isInvalidDataError(error)) {
      request.log.warn({ sqlState: pgErrorCode(error), route: request.routeOptions.url }, 'database refused a value');
      error = invalidValue(error);
    }
    const problem = toProblem(error, request);
    if (problem.status >= 500) {
      request.log.error({ err: error }, 'request failed');
    } else if (problem.status !== 404) {
      request.log.info({ code: problem.code, status: problem.status }, 'request rejected');
    }
    const retryAfter = isAppError(error) ? error.retryAfter : undefined;
    return sendProblem(reply, problem, retryAfter ?? (problem.status === 503 ? UNAVAILABLE_RETRY_SECONDS : undefined));
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      buildProblem(request, 404, 'route_not_found', `No route ${request.method} ${request.url.split('?')[0]}.`),
    ),
  );
}

/**
 * Fastify's router answers a malformed URL (400) or an over-long path parameter (414)
 * with its own JSON unless handed this; they become problem+json like every other error.
 * Also for a hook that must answer itself whatever error handler the route has.
 */
export function handleFrameworkError(
  error: FastifyError | AppError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  void sendProblem(reply, toProblem(error, request));
}

export function sendProblem(reply: FastifyReply, problem: Problem, retryAfter?: number): FastifyReply {
  if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
  return reply.status(problem.status).type('application/problem+json').send(problem);
}

function buildProblem(
  request: FastifyRequest,
  status: number,
  code: string,
  detail: string,
  errors?: FieldError[],
): Problem {
  return {
    type: `urn:staylane:problem:${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    instance: request.url.split('?')[0] ?? request.url,
    code,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

/** The problem an error answers; pages that answer HTML (the sandbox checkout) render the same. */
export function toProblem(error: FastifyError | AppError | Error, request: FastifyRequest): Problem {
  if (isAppError(error)) {
    return buildProblem(request, STATUS_BY_KIND[error.kind], error.code, error.message, error.errors);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as { validationContext?: string }).validationContext;
    // A malformed id in the path names no resource that could exist.
    if (where === 'params') return buildProblem(request, 404, 'not_found', 'Not found.');
    // Each entry is a zod issue with its path joined as a JSON pointer; back to an issue.
    const errors = fieldErrors(
      error.validation.map((v) => ({
        path: v.instancePath.split('/').slice(1),
        message: v.message ?? 'Invalid value.',
        code: v.keyword,
        keys: (v.params as { keys?: string[] }).keys,
      })),
    );
    const what = where === 'querystring' ? 'query string' : (where ?? 'request');
    return buildProblem(request, 422, 'validation_failed', `The ${what} is not valid.`, errors);
  }
  const fastifyError = error as FastifyError;
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    switch (fastifyError.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return buildProblem(request, 413, 'body_too_large', 'The request body is larger than 1 MiB.');
      case 'FST_ERR_BAD_URL':
        return buildProblem(request, 400, 'malformed_request', 'The URL is not valid.');
      // Longer than any id: like a malformed id, it names no resource.
      case 'FST_ERR_MAX_PARAM_LENGTH':
        return buildProblem(request, 404, 'not_found', 'Not found.');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return buildProblem(request, 415, 'unsupported_media_type', 'Send JSON with Content-Type: application/json.');
      default:
        if (status === 400 || error instanceof SyntaxError) {
          return buildProblem(request, 400, 'malformed_request', 'The request body is not valid JSON.');
        }
        return buildProblem(request, status, 'request_rejected', TITLES[status] ?? 'The request was rejected.');
    }
  }
  if (status === 503 || isUnavailableError(error))
    return buildProblem(request, 503, 'unavailable', 'A dependency is unavailable; try again shortly.');
  return buildProblem(request, 500, 'internal_error', 'Something went wrong on our side.');
}
