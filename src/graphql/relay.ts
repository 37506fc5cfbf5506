import type { Page } from '../platform/pagination.js';

/**
 * Relay connections over the keyset pages every list returns: the same rows, order and
 * cursors as REST's `{ data, page }`.
 */

export const pageInfoTypeDefs = /* GraphQL */ `
  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }
`;

/** `<Node>Edge` and `<Node>Connection` for a node type. */
export const connectionTypeDefs = (node: string) => /* GraphQL */ `
  type ${node}Edge {
    node: ${node}!
    cursor: String!
  }

  type ${node}Connection {
    edges: [${node}Edge!]!
    pageInfo: PageInfo!
  }
`;

export interface Connection<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** A page with the cursor after each row (see `toPage`) as a connection. */
export function toConnection<T>(page: Page<T> & { cursors: readonly string[] }): Connection<T> {
  return {
    // Every edge's cursor continues after that edge: the keyset of its row.
    edges: page.data.map((node, i) => ({ node, cursor: page.cursors[i]! })),
    // Relay: the cursor of the last edge, on the last page too (null only with no edges).
    pageInfo: { hasNextPage: page.page.hasMore, endCursor: page.cursors.at(-1) ?? null },
  };
}
