import { GraphQLError, type ExecutionResult } from 'graphql';
import type { MercuriusContext } from 'mercurius';
import {
  invalidValue,
  isAppError,
  isInvalidDataError,
  isUnavailableError,
  pgErrorCode,
  UNAVAILABLE_RETRY_SECONDS,
  type ErrorKind,
} from '../platform/errors.js';

const CODE_BY_KIND: Record<ErrorKind, string> = {
  invalid: 'BAD_USER_INPUT',
  unauthorized: 'UNAUTHENTICATED',
  forbidden: 'FORBIDDEN',
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  rate_limited: 'RATE_LIMITED',
  unavailable: 'SERVICE_UNAVAILABLE',
};

// graphql-js ends validation messages with "Did you mean …?": names from the schema.
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

export interface GraphqlErrorFormatterOptions {
  /** Drop "Did you mean …" from validation messages, which would reveal the schema. */
  hideSuggestions: boolean;
}

type ErrorFormatter = (
  execution: ExecutionResult & Required<Pick<ExecutionResult, 'errors'>>,
  context: MercuriusContext,
) => { statusCode: number; response: ExecutionResult };

export function graphqlErrorFormatter(options: GraphqlErrorFormatterOptions): ErrorFormatter {
  const validationMessage = options.hideSuggestions
    ? (message: string) => message.replace(SUGGESTION, '')
    : (message: string) => message;
  return (execution, context) => formatGraphqlErrors(execution, context, validationMessage);
}

/** What a client is told about a request refused before GraphQL ran: [reason, message]. */
function transportError(error: Error & { code?: unknown; statusCode?: unknown }): [string, string] {
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return ['unsupported_media_type', 'Send JSON with Content-Type: application/json.'];
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return ['body_too_large', 'The request body is larger than 1 MiB.'];
  if (error instanceof SyntaxError || String(error.code).startsWith('FST_ERR_CTP_'))
    return ['malformed_request', 'The request body is not valid JSON.'];
  if (error.code === 'subscription_over_http') return ['subscription_over_http', error.message];
  if (error.code === 'MER_ERR_GQL_PERSISTED_QUERY_NOT_FOUND')
    return ['missing_query', 'Send a GraphQL document in `query`.'];
  return ['request_rejected', 'The request was rejected.'];
}

/**
 * Maps errors to `extensions.code` as the REST handler maps them to statuses. Errors
 * that are not ours (bugs, driver failures) become a generic message; the log has the rest.
 */
function formatGraphqlErrors(
  execution: ExecutionResult & Required<Pick<ExecutionResult, 'errors'>>,
  context: MercuriusContext,
  validationMessage: (message: string) => string,
): { statusCode: number; response: ExecutionResult } {
  const log = context.reply.log;
  const errors = execution.errors.flatMap((error): GraphQLError[] => {
    let original: (Error & { errors?: unknown; code?: unknown; statusCode?: unknown }) | undefined =
      error.originalError;
    // A value the database refused is the client's error; the schemas should have caught it.
    if (original && isInvalidDataError(original)) {
      log.warn({ sqlState: pgErrorCode(original), path: error.path }, 'database refused a value');
      original = invalidValue(original);
    }
    if (original && isAppError(original)) {
      return [
        new GraphQLError(original.message, {
          nodes: error.nodes,
          path: error.path,
          extensions: {
            code: CODE_BY_KIND[original.kind],
            reason: original.code,
            ...(original.errors ? { errors: original.errors } : {}),
            ...(original.retryAfter !== undefined ? { retryAfter: original.retryAfter } : {}),
          },
        }),
      ];
    }
    // Mercurius wraps parse/validation failures (including the depth limit) in one error.
    if (original && Array.isArray(original.errors)) {
      return (original.errors as unknown[]).map((e) => {
        const ge = e as Partial<GraphQLError>;
        return new GraphQLError(validationMessage(String(ge.message)), {
          nodes: ge.nodes,
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        });
      });
    }
    if (original?.code === 'MER_ERR_GQL_QUERY_DEPTH' || original?.code === 'MER_ERR_GQL_VALIDATION') {
      return [
        new GraphQLError(validationMessage(original.message), { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
      ];
    }
    if (!original) {
      // Parse and validation errors raised by graphql-js itself carry no original error.
      return [
        new GraphQLError(validationMessage(error.message), {
          nodes: error.nodes,
          path: error.path,
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        }),
      ];
    }
    // Transport failures before GraphQL runs (media type, body size, JSON that does not
    // parse or carries `__proto__`): the Fastify error reaches us through mercurius's
    // route error handler and is the client's, not a resolver bug.
    const status = typeof original.statusCode === 'number' ? original.statusCode : 0;
    if (status >= 400 && status < 500) {
      const [reason, message] = transportError(original);
      return [new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', reason } })];
    }
    if (isUnavailableError(original)) {
      return [
        new GraphQLError('A dependency is unavailable; try again shortly.', {
          path: error.path,
          extensions: { code: 'SERVICE_UNAVAILABLE', retryAfter: UNAVAILABLE_RETRY_SECONDS },
        }),
      ];
    }
    log.error({ err: original }, 'graphql resolver failed');
    return [
      new GraphQLError('Something went wrong on our side.', {
        path: error.path,
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      }),
    ];
  });
  // A request that ran (data present) is 200 whatever failed inside; one rejected before
  // execution keeps the status mercurius gave it (400 for parse, validation and depth).
  const rejectedWith = execution.errors
    .map((e) => (e.originalError as { statusCode?: unknown } | undefined)?.statusCode)
    .find((s): s is number => typeof s === 'number');
  const statusCode = execution.data ? 200 : ((execution as { statusCode?: number }).statusCode ?? rejectedWith ?? 200);
  return { statusCode, response: { data: execution.data ?? null, errors } };
}
