import { z } from 'zod';

/**
 * Ids the published API examples share, so that the example of one call reads as a step
 * of the same story as the next (the property booked is the one listed, and so on).
 */
export const EXAMPLE_ID = {
  user: '3f6b2c1a-7d4e-4f8a-9b0c-1d2e3f4a5b6c',
  property: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  block: '1b4e28ba-2fa1-4d2b-883f-0016d3cca427',
  booking: '0b7e6f9e-2a4c-4d51-9f0e-3c1b2a9d8e7f',
  payment: '6ba7b810-9dad-41d1-80b4-00c04fd430c8',
  conversation: 'c56a4180-65aa-42ec-a945-5fd21dec0538',
  review: 'e4d909c2-90d0-4b0e-9a5b-0c0e1f2a3b4c',
  session: '9a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d',
  job: 'f47ac10b-58cc-4372-a567-0e02b2c3d479',
} as const;

/** A path parameter naming a resource by its UUID, with an example. */
export const idParam = (what: keyof typeof EXAMPLE_ID) =>
  z
    .uuid()
    .describe(`The ${what} id.`)
    .meta({ examples: [EXAMPLE_ID[what]] });
