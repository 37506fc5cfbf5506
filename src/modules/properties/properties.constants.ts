/** Search orders, as REST `?sort=` and GraphQL `PropertySort` take them. */
export const SEARCH_SORTS = ['relevance', 'price_asc', 'price_desc', 'rating', 'newest'] as const;

/** Bounds of a place's stay rules: `minNights` 1 to MAX_MIN_NIGHTS, `maxNights` up to MAX_MAX_NIGHTS. */
export const MAX_MIN_NIGHTS = 365;
export const MAX_MAX_NIGHTS = 730;
