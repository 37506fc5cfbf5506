import { z } from 'zod';
import { daysBetween } from '../../platform/dates.js';
import { money } from '../../platform/money.js';
import { isoDate } from '../../platform/validation.js';
import { MAX_MIN_NIGHTS } from './properties.constants.js';
import type { PriceOverrideRow } from './properties.table.js';

// Prices and minimum stays by date, and the per-night calendar.

/** Ranges one request may set. */
export const MAX_PRICE_RANGES = 100;
/** Override rows a place may hold (ranges split by later ones count once per piece). */
export const MAX_PRICE_OVERRIDES = 500;
/** How far ahead a range may reach: its end at most this many days after today (the place's zone). */
export const PRICES_DAYS_AHEAD = 730;
/** The longest window of one calendar read. */
export const CALENDAR_MAX_DAYS = 366;

export const PriceRangeInput = z
  .strictObject({
    start: isoDate.describe('The first night of the range.'),
    end: isoDate.describe('The day after the last night (exclusive).'),
    nightlyPrice: money(1)
      .optional()
      .describe('The price of each night of the range, minor units; left out = the place’s own rule.'),
    minNights: z
      .number()
      .int()
      .min(1)
      .max(MAX_MIN_NIGHTS)
      .optional()
      .describe(
        `The shortest stay checking in on a night of the range, 1 to ${MAX_MIN_NIGHTS}; left out = the place’s.`,
      ),
  })
  .refine((v) => v.start < v.end, { path: ['end'], message: 'Must be after start.' });
export type PriceRangeInput = z.infer<typeof PriceRangeInput>;

export const SetCalendarPricesInput = z
  .strictObject({
    ranges: z
      .array(PriceRangeInput)
      .min(1)
      .max(MAX_PRICE_RANGES)
      .describe(
        `1 to ${MAX_PRICE_RANGES} ranges that do not overlap each other. A range with neither \`nightlyPrice\` nor \`minNights\` clears the overrides it overlaps.`,
      ),
  })
  .superRefine((v, ctx) => {
    const sorted = v.ranges.map((r, i) => ({ ...r, i })).sort((a, b) => (a.start < b.start ? -1 : 1));
    for (let k = 1; k < sorted.length; k++) {
      if (sorted[k]!.start < sorted[k - 1]!.end) {
        ctx.addIssue({
          code: 'custom',
          path: ['ranges', sorted[k]!.i, 'start'],
          message: 'Ranges of one request must not overlap each other.',
        });
      }
    }
  })
  .meta({
    id: 'SetCalendarPricesInput',
    examples: [
      {
        ranges: [
          { start: '2027-07-01', end: '2027-09-01', nightlyPrice: 18000, minNights: 3 },
          { start: '2027-12-24', end: '2027-12-27', nightlyPrice: 25000 },
          { start: '2027-10-01', end: '2027-10-08' },
        ],
      },
    ],
  });
export type SetCalendarPricesInput = z.infer<typeof SetCalendarPricesInput>;

export const PriceOverride = z
  .object({
    start: z.string().describe('The first night.'),
    end: z.string().describe('The day after the last night (exclusive).'),
    nightlyPrice: z.number().int().nullable().describe('The price of each night; null = the place’s own rule.'),
    minNights: z
      .number()
      .int()
      .nullable()
      .describe('The shortest stay checking in on these nights; null = the place’s.'),
  })
  .meta({ id: 'PriceOverride' });
export type PriceOverride = z.infer<typeof PriceOverride>;

export const CalendarPrices = z
  .object({
    overrides: z
      .array(PriceOverride)
      .describe(
        'The place’s overrides overlapping the window the request touched (its first start to its last end), in date order.',
      ),
  })
  .meta({ id: 'CalendarPrices' });
export type CalendarPrices = z.infer<typeof CalendarPrices>;

export const CalendarQuery = z
  .object({
    from: isoDate.describe('The first night.').meta({ examples: ['2027-03-01'] }),
    to: isoDate
      .describe(`Exclusive; at most ${CALENDAR_MAX_DAYS} days after \`from\`.`)
      .meta({ examples: ['2027-04-01'] }),
  })
  .refine((v) => v.from < v.to, { path: ['to'], message: 'Must be after from.' })
  .refine((v) => daysBetween(v.from, v.to) <= CALENDAR_MAX_DAYS, {
    path: ['to'],
    message: `The window is at most ${CALENDAR_MAX_DAYS} days.`,
  });
export type CalendarQuery = z.infer<typeof CalendarQuery>;

export const CalendarNight = z
  .object({
    date: z.string().describe('The night (the date it begins on).'),
    price: z
      .number()
      .int()
      .describe(
        'Its price, minor units: its override, else the weekend price on Friday and Saturday nights, else the nightly price.',
      ),
    available: z.boolean().describe('Free: no booking holds it and no block closes it.'),
    minNights: z.number().int().describe('The shortest stay checking in on this night.'),
  })
  .meta({ id: 'CalendarNight' });
export type CalendarNight = z.infer<typeof CalendarNight>;

export const Calendar = z
  .object({
    propertyId: z.uuid(),
    currency: z.string().describe('ISO 4217 code of every price.'),
    nights: z.array(CalendarNight).describe('Each night of [from, to), in date order.'),
  })
  .meta({ id: 'Calendar' });
export type Calendar = z.infer<typeof Calendar>;

export const toPriceOverrideDto = (row: PriceOverrideRow): PriceOverride => ({
  start: row.start,
  end: row.end,
  nightlyPrice: row.nightlyPrice,
  minNights: row.minNights,
});
