/** Search orders, as REST `?sort=` and GraphQL `PropertySort` take them. */
export const SEARCH_SORTS = ['relevance', 'price_asc', 'price_desc', 'rating', 'newest'] as const;
