import { z } from 'zod';
import { daysBetween } from '../../platform/dates.js';
import { idParam } from '../../platform/openapi-examples.js';
import { isoDate } from '../../platform/validation.js';
import type { CalendarRangeRow } from './properties.table.js';

// The calendar's shapes: host blocks and the availability view.

export const BlockParams = z.object({ id: idParam('property'), blockId: idParam('block') });

export const CreateBlockInput = z
  .strictObject({
    start: isoDate,
    end: isoDate.describe('Exclusive.'),
    note: z.string().trim().min(0).max(500).optional(),
  })
  .refine((v) => v.start < v.end, { path: ['end'], message: 'Must be after start.' })
  .meta({ id: 'CreateBlockInput', examples: [{ start: '2027-04-01', end: '2027-04-05', note: 'Repainting.' }] });
export type CreateBlockInput = z.infer<typeof CreateBlockInput>;

export const Block = z
  .object({
    id: z.uuid(),
    propertyId: z.uuid(),
    start: z.string(),
    end: z.string(),
    note: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Block' });
export type Block = z.infer<typeof Block>;

export const AvailabilityQuery = z
  .object({
    from: isoDate.meta({ examples: ['2027-03-01'] }),
    to: isoDate.describe('Exclusive; at most 366 days after `from`.').meta({ examples: ['2027-04-01'] }),
  })
  .refine((v) => v.from < v.to, { path: ['to'], message: 'Must be after from.' })
  .refine((v) => daysBetween(v.from, v.to) <= 366, {
    path: ['to'],
    message: 'The window is at most 366 days.',
  });
export type AvailabilityQuery = z.infer<typeof AvailabilityQuery>;

export const UnavailableRange = z.object({ start: z.string(), end: z.string(), reason: z.enum(['booked', 'blocked']) });
export type UnavailableRange = z.infer<typeof UnavailableRange>;
export const Availability = z.object({ unavailable: z.array(UnavailableRange) }).meta({ id: 'Availability' });

export const toBlockDto = (row: CalendarRangeRow): Block => ({
  id: row.id,
  propertyId: row.propertyId,
  start: row.start,
  end: row.end,
  note: row.note,
  createdAt: row.createdAt.toISOString(),
});
