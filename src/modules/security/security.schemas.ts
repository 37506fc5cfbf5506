import { z } from 'zod';
import { subnetOf } from '../../platform/ip.js';
import { pageQuerySchema } from '../../platform/pagination.js';

/** The narrowest ranges the block list takes: wider ones would shut out whole regions. */
export const MIN_PREFIX = { ipv4: 8, ipv6: 16 } as const;

/** An address or a CIDR range as a client writes it; PostgreSQL normalises it (`203.0.113.7/32`). */
export const IpOrRange = z
  .string()
  .max(64)
  .refine((value) => subnetOf(value) !== null, {
    message: 'Must be an IPv4 or IPv6 address, or a CIDR range such as 203.0.113.0/24.',
  })
  .meta({ examples: ['203.0.113.0/24'] });

const LocationSchema = z
  .object({
    country: z.string().length(2).describe('ISO 3166-1 alpha-2'),
    city: z.string().nullable(),
  })
  .nullable()
  .describe(
    "Where the address is (the range's first address), from an offline database; null for private or unknown addresses.",
  );

export const BlockedIp = z
  .object({
    ip: z.string().describe('The range, normalised: an address is a /32 (IPv4) or /128 (IPv6).'),
    reason: z.string().nullable(),
    createdBy: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    location: LocationSchema,
  })
  .meta({ id: 'BlockedIp' });
export type BlockedIp = z.infer<typeof BlockedIp>;

export const BlockIpBody = z
  .strictObject({
    ip: IpOrRange,
    reason: z.string().trim().min(1).max(500).optional(),
  })
  .meta({ examples: [{ ip: '203.0.113.0/24', reason: 'Credential stuffing from this range.' }] });
export type BlockIpBody = z.infer<typeof BlockIpBody>;

export const BlockedIpParams = z.object({
  ip: IpOrRange.describe('An address or a CIDR range, URL-encoded (`203.0.113.0%2F24`).'),
});

export const SuspiciousIp = z
  .object({
    ip: z.string(),
    hour: z.iso.datetime().describe('The start of the hour the counts are for.'),
    requests: z.number().int(),
    adminProbes: z.number().int().describe('Requests to admin routes refused with 401 or 403.'),
    reasons: z.array(z.enum(['requests', 'admin_probes'])),
    flaggedAt: z.iso.datetime(),
    blocked: z.boolean().describe('Whether the block list covers the address now.'),
    location: LocationSchema,
  })
  .meta({ id: 'SuspiciousIp' });
export type SuspiciousIp = z.infer<typeof SuspiciousIp>;

export const ListSuspiciousQuery = pageQuerySchema.extend({
  ip: z.string().max(64).optional().describe('Only the hours flagged for this address.'),
});
export type ListSuspiciousQuery = z.infer<typeof ListSuspiciousQuery>;
