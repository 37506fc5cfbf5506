import { z } from 'zod';

/** Export tokens: 32 random bytes, base64url (43 characters, 256 bits). */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const FeedParams = z.object({
  file: z
    .string()
    .max(128)
    .describe('The secret token of the place’s export link followed by `.ics`.')
    .meta({ examples: ['q0Zx3m1Yw8bU7tGkP2vN5rC9sD4fH6jL0aE1iO3uR7y.ics'] }),
});

export const PropertyIdParams = z.object({
  id: z
    .uuid()
    .describe('The property’s id.')
    .meta({ examples: ['0b9f6a52-8f4e-4b8a-9a3c-6d2d8f1e7c11'] }),
});

export const IcalLink = z
  .object({
    url: z
      .string()
      .describe('The secret URL of the place’s calendar feed (RFC 5545). Anyone holding it can read the busy dates.'),
  })
  .meta({
    id: 'IcalLink',
    examples: [{ url: 'https://staylane.example/ical/q0Zx3m1Yw8bU7tGkP2vN5rC9sD4fH6jL0aE1iO3uR7y.ics' }],
  });
export type IcalLink = z.infer<typeof IcalLink>;
