import { z } from 'zod';
import { daysBetween } from '../../platform/dates.js';
import { isoDate } from '../../platform/validation.js';

export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
/**
 * The longest window one export covers: three years (a leap year included). Memory does
 * not depend on it (the export streams); it bounds how long one request can hold a
 * connection and how much one accidental click can make the database read.
 */
export const EXPORT_MAX_DAYS = 1096;

export const ExportBookingsQuery = z
  .strictObject({
    as: z
      .enum(['host'])
      .default('host')
      .describe('Whose bookings: `host`, the bookings of the caller’s own places (the only export).'),
    from: isoDate.describe('First check-in date included (YYYY-MM-DD).').meta({ examples: ['2027-01-01'] }),
    to: isoDate
      .describe(
        `Check-in dates before this one are included (exclusive); at most ${EXPORT_MAX_DAYS} days after \`from\`.`,
      )
      .meta({ examples: ['2028-01-01'] }),
    format: z
      .enum(EXPORT_FORMATS)
      .default('csv')
      .describe('`csv` (RFC 4180, header row; default) or `ndjson` (one booking as JSON per line).'),
  })
  .refine((v) => v.from < v.to, { path: ['to'], message: 'Must be after from.' })
  .refine((v) => daysBetween(v.from, v.to) <= EXPORT_MAX_DAYS, {
    path: ['to'],
    message: `The window is at most ${EXPORT_MAX_DAYS} days (three years).`,
  });
export type ExportBookingsQuery = z.infer<typeof ExportBookingsQuery>;
