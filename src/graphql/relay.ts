import { pageQuerySchema, type Page } from '../platform/pagination.js';

/**
 * Relay connections over the keyset pages every list returns: the same rows, order and
 * cursors as REST's `{ data, page }`. Lists page forward only (`first`/`after`), as REST
 * does; `last`/`before` are not offered.
 */

export const pageInfoTypeDefs = /* GraphQL */ `
  "Where a page of a connection sits in its list (Relay's PageInfo)."
  type PageInfo {
    "Whether rows follow this page: ask for them with \`after: endCursor\`."
    hasNextPage: Boolean!
    """
    Always false. Lists page forward only (\`first\`/\`after\`; no \`last\`/\`before\`), and, as
    the Relay connection spec allows when paging forward, this is not worked out: a client
    that passed \`after\` knows rows came before.
    """
    hasPreviousPage: Boolean!
    "The cursor of the first edge; null when the page has no edges."
    startCursor: String
    "The cursor of the last edge, the \`after\` of the next page; null when the page has no edges."
    endCursor: String
  }
`;

/** `first` and `after` with their descriptions, for a connection field's arguments. */
export const pageArguments = [
  `${JSON.stringify(pageQuerySchema.shape.limit.description)} first: Int`,
  '"Return the rows after this cursor: the `endCursor` (or an edge\'s `cursor`) of the page before. Leave out for the first page." after: String',
].join(', ');

/** `<Node>Edge` and `<Node>Connection` for a node type; `one` and `many` name its nodes in a sentence. */
export const connectionTypeDefs = (node: string, one: string, many: string) => /* GraphQL */ `
  "A ${one} in a page of a list, with its cursor."
  type ${node}Edge {
    "The ${one}."
    node: ${node}!
    "Continues the list after this ${one}: pass it as \`after\`."
    cursor: String!
  }

  "A page of ${many}."
  type ${node}Connection {
    "The ${many} of this page, in the list's order, each with its cursor."
    edges: [${node}Edge!]!
    "Whether more follow, and the cursors to go on from."
    pageInfo: PageInfo!
  }
`;

export interface Connection<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** A page with the cursor after each row (see `toPage`) as a connection. */
export function toConnection<T>(page: Page<T> & { cursors: readonly string[] }): Connection<T> {
  return {
    // Every edge's cursor continues after that edge: the keyset of its row.
    edges: page.data.map((node, i) => ({ node, cursor: page.cursors[i]! })),
    pageInfo: {
      hasNextPage: page.page.hasMore,
      // Forward-only paging (see PageInfo.hasPreviousPage).
      hasPreviousPage: false,
      // Relay: the cursors of the first and last edges, on the last page too (null only with no edges).
      startCursor: page.cursors.at(0) ?? null,
      endCursor: page.cursors.at(-1) ?? null,
    },
  };
}
