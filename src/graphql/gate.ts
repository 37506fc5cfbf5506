import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  OperationTypeNode,
  getOperationAST,
  getVariableValues,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type ValidationRule,
} from 'graphql';
import type { preExecutionHookHandler, preParsingHookHandler } from 'mercurius';
import { consumeLimit, type CounterStore } from '../platform/cache/counters.js';
import type { RequestContext } from '../platform/context.js';
import { rejectJsonDocument, rejectNulInput } from './input-guard.js';
import {
  aliasLimitRule,
  countMutations,
  depthLimitRule,
  GRAPHQL_MAX_COST,
  GraphqlRejection,
  queryCost,
  type RequestLimiter,
} from './limits.js';

/** Most lexical tokens a document may hold: graphql-js stops parsing past it. */
export const GRAPHQL_MAX_TOKENS = 5_000;

/**
 * Refused when a subscription is POSTed: it runs over the WebSocket only. Shaped as a
 * transport failure (status 400), which the error formatter answers BAD_REQUEST with this
 * reason and does not log as a server error.
 */
export class SubscriptionOverHttp extends Error {
  readonly statusCode = 400;
  readonly code = 'subscription_over_http';
  constructor() {
    super('Subscriptions run over the WebSocket at /graphql (graphql-transport-ws), not over HTTP.');
    this.name = 'SubscriptionOverHttp';
  }
}

export interface GraphqlGateOptions {
  counters: CounterStore;
  /** Cost units each client address may spend per minute, over HTTP and the socket together. */
  budgetPerMinute: number;
  isProduction: boolean;
  /** The per-address request counter (RATE_LIMIT_PER_MINUTE) in which each mutation counts. */
  requestLimiter: RequestLimiter;
  maxCost?: number;
}

/** Who sent a document, whichever transport carried it. */
export interface GateCaller {
  ip: string;
  /** Resolves (and on the socket re-checks) the caller; throws when it may not proceed. */
  requestContext(): Promise<RequestContext>;
}

/** A subscribe message's payload once the gate accepted it. */
export interface AdmittedSubscription {
  document: DocumentNode;
  operation: OperationDefinitionNode;
}

export type GraphqlGate = ReturnType<typeof createGraphqlGate>;

/**
 * The one set of rules every GraphQL document passes before anything of it runs, over HTTP
 * (mercurius applies `parseOptions` and `validationRules` and calls the hooks) and over the
 * WebSocket (`admitSubscription`, called by the socket guard for each `subscribe` message,
 * applies the same values through the same functions):
 *
 * - the query is a string (a JSON value is never taken for a ready-made syntax tree) of at
 *   most GRAPHQL_MAX_TOKENS tokens;
 * - graphql-js' specified rules (unknown fields, one root field per subscription, …), the
 *   depth and alias limits, and no introspection in production;
 * - the cost limit, charged to the client address's per-minute budget (`gql-cost:<ip>`);
 * - over HTTP, each mutation after the first counted as one more request against the rate limit;
 * - no U+0000 in literals or variables;
 * - the caller resolved before any resolver runs.
 */
export function createGraphqlGate(options: GraphqlGateOptions) {
  const maxCost = options.maxCost ?? GRAPHQL_MAX_COST;
  const parseOptions: ParseOptions = { maxTokens: GRAPHQL_MAX_TOKENS };
  const validationRules: ValidationRule[] = [
    depthLimitRule(),
    aliasLimitRule(),
    ...(options.isProduction ? [NoSchemaIntrospectionCustomRule] : []),
  ];

  /** Prices the operation and charges the address's budget (RATE_LIMITED once spent). */
  const charge = async (
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Record<string, unknown> | undefined,
    ip: string,
  ) => {
    let cost: number;
    try {
      cost = queryCost(schema, document, variables);
    } catch (error) {
      if (error instanceof GraphQLError) throw new GraphqlRejection(error.message);
      throw error;
    }
    if (cost > maxCost) throw new GraphqlRejection(`The query costs ${cost}, more than the limit of ${maxCost}.`);
    await consumeLimit(options.counters, `gql-cost:${ip}`, { max: options.budgetPerMinute, windowMs: 60_000 }, cost);
  };

  /** What runs once a document is parsed and valid, before execution: priced, NUL-checked, caller resolved. */
  const beforeExecution = async (
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Record<string, unknown> | undefined,
    caller: GateCaller,
  ) => {
    // Priced first and NUL-checked (no I/O), then the caller resolved.
    await charge(schema, document, variables, caller.ip);
    await rejectNulInput(schema, document, undefined, variables);
    await caller.requestContext();
  };

  const httpPreExecution: preExecutionHookHandler = async (schema, document, context, variables) => {
    const request = context.reply.request;
    const sent = (request.method === 'GET' ? request.query : request.body) as { operationName?: unknown } | undefined;
    const name = typeof sent?.operationName === 'string' ? sent.operationName : undefined;
    // graphql-js would "execute" it without a source stream and fail as an internal error.
    if (getOperationAST(document, name)?.operation === OperationTypeNode.SUBSCRIPTION) throw new SubscriptionOverHttp();
    // Mutations run over HTTP only: the request counted once on arrival, each further one counts here.
    await countMutations(options.requestLimiter, request, document);
    await beforeExecution(schema, document, variables, {
      ip: request.ip,
      requestContext: () => context.requestContext(),
    });
  };

  return {
    parseOptions,
    validationRules,
    preParsing: [rejectJsonDocument] as preParsingHookHandler[],
    preExecution: [httpPreExecution],

    /**
     * The gate on the socket: the subscribe message's payload as received. Throws a
     * GraphqlRejection (or the AppError of a spent budget, NUL input or a refused caller)
     * for what HTTP would refuse.
     */
    async admitSubscription(
      schema: GraphQLSchema,
      payload: unknown,
      caller: GateCaller,
    ): Promise<AdmittedSubscription> {
      const { query, variables, operationName } = (payload ?? {}) as Record<string, unknown>;
      if (typeof query !== 'string') throw new GraphqlRejection('Send the GraphQL document in `query`, as a string.');
      if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables)))
        throw new GraphqlRejection('`variables` must be an object.');
      if (operationName !== undefined && operationName !== null && typeof operationName !== 'string')
        throw new GraphqlRejection('`operationName` must be a string.');
      await rejectJsonDocument(schema, query);
      let document: DocumentNode;
      try {
        document = parse(query, parseOptions);
      } catch (syntaxError) {
        throw Object.assign(new GraphqlRejection('The query is not a valid GraphQL document.'), {
          errors: [syntaxError],
        });
      }
      const errors = validate(schema, document, [...specifiedRules, ...validationRules]);
      if (errors.length > 0) throw Object.assign(new GraphqlRejection(errors[0]!.message), { errors });
      const operation = getOperationAST(document, operationName ?? undefined);
      if (!operation) throw new GraphqlRejection('Name the operation to run: the document holds several.');
      if (operation.operation !== OperationTypeNode.SUBSCRIPTION)
        throw new GraphqlRejection('Only subscriptions run over the WebSocket; send queries and mutations over HTTP.');
      // Coerced here as HTTP does before its hooks: a bad variable is the client's error, not the resolver's.
      const coerced = getVariableValues(
        schema,
        operation.variableDefinitions ?? [],
        (variables ?? {}) as Record<string, unknown>,
      );
      if (coerced.errors)
        throw Object.assign(new GraphqlRejection(coerced.errors[0]!.message), { errors: coerced.errors });
      await beforeExecution(schema, document, (variables ?? undefined) as Record<string, unknown> | undefined, caller);
      return { document, operation };
    },
  };
}
