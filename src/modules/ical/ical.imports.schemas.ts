import { z } from 'zod';
import { parseFetchableUrl } from '../../platform/net/safe-fetch.js';
import { ICAL_IMPORT_STATUSES, type IcalImportRow } from './ical.table.js';

const EXAMPLE_PROPERTY_ID = '0b9f6a52-8f4e-4b8a-9a3c-6d2d8f1e7c11';
const EXAMPLE_IMPORT_ID = '3c1e9a7b-2d4f-4e6a-8b0c-5f7d9e1a3b2c';
const EXAMPLE_URL = 'https://www.example-rentals.com/calendar/ical/12345.ics?s=9f8e7d6c';
export const IMPORT_URL_MAX_LENGTH = 2_000;
export const IMPORT_NAME_MAX_LENGTH = 80;

export const IcalImportParams = z.object({
  id: z
    .uuid()
    .describe('The property’s id.')
    .meta({ examples: [EXAMPLE_PROPERTY_ID] }),
  importId: z
    .uuid()
    .describe('The imported calendar’s id.')
    .meta({ examples: [EXAMPLE_IMPORT_ID] }),
});

export const feedUrl = z
  .string()
  .trim()
  .min(1)
  .max(IMPORT_URL_MAX_LENGTH)
  .refine((v) => parseFetchableUrl(v) !== undefined, 'Must be an http or https URL without credentials.')
  .describe(
    `The calendar’s export URL (iCal, RFC 5545): http or https, no user name or password, at most ${IMPORT_URL_MAX_LENGTH} characters. It is fetched only from public addresses.`,
  );

export const CreateIcalImportInput = z
  .strictObject({
    url: feedUrl,
    name: z
      .string()
      .trim()
      .min(1)
      .max(IMPORT_NAME_MAX_LENGTH)
      .describe(`A name for the calendar, shown to the host (1–${IMPORT_NAME_MAX_LENGTH} characters, plain text).`),
  })
  .meta({ id: 'CreateIcalImportInput', examples: [{ url: EXAMPLE_URL, name: 'Other booking site' }] });
export type CreateIcalImportInput = z.infer<typeof CreateIcalImportInput>;

export const IcalImport = z
  .object({
    id: z.uuid(),
    propertyId: z.uuid(),
    url: z.string().describe('The feed’s URL (a secret of the host’s other calendar: shown to the host only).'),
    name: z.string(),
    status: z
      .enum(ICAL_IMPORT_STATUSES)
      .describe(
        '`pending` until the first sync; `ok` when the last fetch brought a calendar; `not_modified` when the server answered 304 (the last calendar still applies); `error` when the last fetch or parse failed (the nights of the last good sync stay blocked).',
      ),
    error: z.string().nullable().describe('Why the last sync failed, in short; null unless `status` is `error`.'),
    eventCount: z
      .number()
      .int()
      .describe('Events (recurrences expanded) of the last calendar, from today for 730 days.'),
    conflictCount: z
      .number()
      .int()
      .describe(
        'Of those, ranges that overlap a Staylane stay at the last sync: they do not block (the host is e-mailed once each).',
      ),
    lastSyncAt: z.iso.datetime().nullable().describe('When the feed was last fetched, whatever the outcome.'),
    lastSuccessAt: z.iso.datetime().nullable().describe('When a fetch last succeeded (`ok` or `not_modified`).'),
    nextSyncAt: z.iso.datetime().describe('When the feed is next due to be fetched.'),
    createdAt: z.iso.datetime(),
  })
  .meta({
    id: 'IcalImport',
    description:
      'An external calendar imported into a place: its events block the nights they cover, like host blocks.',
  });
export type IcalImport = z.infer<typeof IcalImport>;

export const IcalImportList = z
  .object({ data: z.array(IcalImport).describe('The place’s imported calendars, oldest first (at most 5).') })
  .meta({ id: 'IcalImportList', description: 'A place’s imported calendars.' });
export type IcalImportList = z.infer<typeof IcalImportList>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toIcalImportDto(row: IcalImportRow): IcalImport {
  return {
    id: row.id,
    propertyId: row.propertyId,
    url: row.url,
    name: row.name,
    status: row.status,
    error: row.error,
    eventCount: row.eventCount,
    conflictCount: row.conflictCount,
    lastSyncAt: iso(row.lastSyncAt),
    lastSuccessAt: iso(row.lastSuccessAt),
    nextSyncAt: row.nextSyncAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
  };
}
