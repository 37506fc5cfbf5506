import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  getNamedType,
  isCompositeType,
  isListType,
  isNonNullType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type GraphQLType,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import type { FastifyRequest } from 'fastify';
import { rateLimited } from '../platform/cache/counters.js';
import { pageQuerySchema } from '../platform/pagination.js';

/** Most a request may cost; see `costEstimator` for the model. */
export const GRAPHQL_MAX_COST = 5_000;
/** Deepest field nesting an operation may reach, fragments expanded. */
export const GRAPHQL_MAX_DEPTH = 10;
/** Most aliases an operation may use, fragments included. */
export const GRAPHQL_MAX_ALIASES = 30;
/**
 * Cost units a client may spend per minute for each request RATE_LIMIT_PER_MINUTE allows
 * it: 300 requests a minute buy 60,000 units, a dozen requests at the cost limit or about
 * 115 pages of 20 places with a dozen fields each.
 */
export const GRAPHQL_COST_PER_REQUEST = 200;

/** What a list costs when the client does not say how many items it wants: the REST default. */
export const DEFAULT_PAGE_SIZE: number = pageQuerySchema.shape.limit.parse(undefined);

const PAGE_ARGS = ['first', 'limit'] as const;

function isListOfObjects(type: GraphQLType): boolean {
  const inner = isNonNullType(type) ? type.ofType : type;
  return isListType(inner) && isCompositeType(getNamedType(inner));
}

/**
 * Every field costs 1 plus its selection; a list field multiplies that by the number of
 * items it may return: its `first` (or `limit`) argument, else the default page size. The
 * items of a paginated field cost `first × (1 + fields)`, so even a page selecting only
 * `pageInfo` pays for the rows it reads. A Relay connection's `edges` are already priced
 * by the connection's `first`. Introspection reads the in-memory schema, is off in
 * production, and is priced without multipliers so that GraphiQL works in development.
 */
export const costEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const own = 1 + childComplexity;
  if (type.name.startsWith('__') || field.name.startsWith('__')) return own;
  const pageArg = PAGE_ARGS.find((name) => field.args.some((a) => a.name === name));
  if (pageArg) {
    const asked = args[pageArg] as unknown;
    // Out-of-range sizes fail in the resolver; a zero or negative one must not lower the sum meanwhile.
    const items = typeof asked === 'number' && Number.isFinite(asked) ? Math.max(1, asked) : DEFAULT_PAGE_SIZE;
    return items * own;
  }
  if (isListOfObjects(field.type) && !(field.name === 'edges' && type.name.endsWith('Connection'))) {
    return DEFAULT_PAGE_SIZE * own;
  }
  return own;
};

/**
 * The cost of a document with these variables. Every operation in it counts, whichever one
 * runs: never less than what executes. Throws a GraphQLError for a document it cannot price
 * (too many nodes once fragments are expanded, variables that do not coerce).
 */
export function queryCost(schema: GraphQLSchema, document: DocumentNode, variables?: Record<string, unknown>): number {
  return getComplexity({ schema, query: document, variables: variables ?? {}, estimators: [costEstimator] });
}

/**
 * Shaped like mercurius' own validation failure, so the error formatter answers it the
 * same way: 400 and GRAPHQL_VALIDATION_FAILED.
 */
export class GraphqlRejection extends Error {
  readonly statusCode = 400;
  readonly errors: GraphQLError[];
  constructor(message: string) {
    super(message);
    this.name = 'GraphqlRejection';
    this.errors = [new GraphQLError(message)];
  }
}

/**
 * The depth limit as a validation rule: each field nests one level below its parent; fragments
 * and inline fragments add none but count at the depth they are spread. Introspection fields
 * (`__schema`, `__type`) are left to graphql-js' own MaxIntrospectionDepthRule: the standard
 * introspection query that GraphiQL and code generators send is 15 levels deep, and it reads
 * the in-memory schema only (introspection is off in production).
 */
export function depthLimitRule(max = GRAPHQL_MAX_DEPTH): ValidationRule {
  return (context) => {
    // A fragment's depth is the same wherever it is spread: measured once per document.
    const fragmentDepth = new Map<string, number>();
    const depthOf = (set: SelectionSetNode | undefined, visiting: ReadonlySet<string>): number => {
      let deepest = 0;
      for (const selection of set?.selections ?? []) {
        if (selection.kind === Kind.FIELD) {
          if (selection.name.value.startsWith('__')) continue;
          deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, visiting));
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(selection.selectionSet, visiting));
        } else {
          const name = selection.name.value;
          // Cycles are NoFragmentCyclesRule's error; unknown fragments KnownFragmentNamesRule's.
          if (visiting.has(name)) continue;
          let depth = fragmentDepth.get(name);
          if (depth === undefined) {
            depth = depthOf(context.getFragment(name)?.selectionSet, new Set([...visiting, name]));
            fragmentDepth.set(name, depth);
          }
          deepest = Math.max(deepest, depth);
        }
      }
      return deepest;
    };
    return {
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet, new Set());
        if (depth > max) {
          const name = node.name ? `"${node.name.value}"` : 'The operation';
          context.reportError(
            new GraphQLError(`${name} is ${depth} levels deep, more than the limit of ${max}.`, { nodes: [node] }),
          );
        }
      },
    };
  };
}

/** The alias limit as a validation rule; fragments count once per spread. */
export function aliasLimitRule(max = GRAPHQL_MAX_ALIASES): ValidationRule {
  return maxAliasesRule({
    n: max,
    // Reported rather than thrown, so that it is an ordinary validation error.
    propagateOnRejection: false,
    onReject: [
      (context, error) => context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''))),
    ],
  });
}

/**
 * How many mutations a document asks for: the root fields of its mutation operations,
 * fragments spread at the root included, and every operation counted (whichever one runs).
 */
export function rootMutationFields(document: DocumentNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const count = (set: SelectionSetNode, visiting: ReadonlySet<string>): number => {
    let n = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) n += selection.name.value === '__typename' ? 0 : 1;
      else if (selection.kind === Kind.INLINE_FRAGMENT) n += count(selection.selectionSet, visiting);
      else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // A cycle or an unknown fragment is a validation error; never counted twice here.
        if (fragment && !visiting.has(name)) n += count(fragment.selectionSet, new Set([...visiting, name]));
      }
    }
    return n;
  };
  let total = 0;
  for (const d of document.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION && d.operation === OperationTypeNode.MUTATION)
      total += count(d.selectionSet, new Set());
  }
  return total;
}

/** The per-address request limiter of @fastify/rate-limit (`fastify.createRateLimit()`). */
export type RequestLimiter = (
  request: FastifyRequest,
) => Promise<{ isAllowed: boolean; isExceeded?: boolean; ttlInSeconds?: number }>;

/**
 * Counts each mutation of a request as one request against the per-address rate limit
 * (RATE_LIMIT_PER_MINUTE): the HTTP request was counted once on arrival, each further
 * mutation (aliases included) is counted here before any resolver runs, in the same
 * counter. Past the limit the whole request is refused with RATE_LIMITED and
 * `retryAfter`, and the address stays limited for the rest of the window. Without it, 30
 * aliased mutations cost one request.
 */
export async function countMutations(
  limiter: RequestLimiter,
  request: FastifyRequest,
  document: DocumentNode,
): Promise<void> {
  const extra = rootMutationFields(document) - 1;
  if (extra <= 0) return;
  const answers = await Promise.all(Array.from({ length: extra }, () => limiter(request)));
  const exceeded = answers.filter((a) => !a.isAllowed && a.isExceeded);
  if (exceeded.length > 0) throw rateLimited(Math.max(1, ...exceeded.map((a) => a.ttlInSeconds ?? 60)));
}
