import { z } from 'zod';
import { idParam } from '../../platform/openapi-examples.js';
import { timeZone } from '../../platform/dates.js';
import { countryCode, currencyCode } from '../../platform/iso-codes.js';
import { money } from '../../platform/money.js';
import { pageQuerySchema } from '../../platform/pagination.js';
import { INT4_MAX, isoDate } from '../../platform/validation.js';
import { BookingMode } from './properties.booking-mode.js';
import { MAX_MAX_NIGHTS, MAX_MIN_NIGHTS, SEARCH_SORTS } from './properties.constants.js';
import { CANCELLATION_POLICIES, PROPERTY_STATUSES, PROPERTY_TYPES, type PropertyRow } from './properties.table.js';

const text = (min: number, max: number) => z.string().trim().min(min).max(max);
/**
 * A text field that may be left out and is then stored empty. Not `.default('')`: the
 * published schema would carry `default: ""`, which client generators read as "always
 * present" and so make the field required in their request types.
 */
const orEmpty = (schema: z.ZodString) => schema.optional().transform((v) => v ?? '');
const amenity = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_]{1,40}$/, 'Amenities are lower-case slugs such as `wifi` or `hot_tub`.');
// zod's multipleOf lets a denormal such as 1e-320 through (it rounds to the step's
// decimals), which the `real` column then refuses.
const halfSteps = z
  .number()
  .min(0)
  .max(50)
  .multipleOf(0.5)
  .refine((v) => Number.isInteger(v * 2), 'Must be a multiple of 0.5.');

export const PropertyType = z.enum(PROPERTY_TYPES);
export const CancellationPolicy = z.enum(CANCELLATION_POLICIES);
export const PropertyStatus = z.enum(PROPERTY_STATUSES);

const addressFields = {
  line1: text(1, 200),
  city: text(1, 100),
  region: text(0, 100),
  postalCode: text(0, 20),
  country: countryCode,
};

export const AddressInput = z.strictObject({
  ...addressFields,
  region: orEmpty(addressFields.region),
  postalCode: orEmpty(addressFields.postalCode),
});

// No defaults here: a field left out of a partial address keeps its stored value.
export const AddressPatch = z.strictObject(addressFields).partial();

const propertyFields = {
  title: text(5, 120),
  description: orEmpty(text(0, 5000)),
  propertyType: PropertyType,
  address: AddressInput,
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  timezone: timeZone,
  currency: currencyCode,
  nightlyPrice: money(1),
  cleaningFee: money(0).default(0),
  weeklyDiscountPercent: z.number().int().min(0).max(50).default(0),
  weekendPrice: money(1)
    .nullable()
    .default(null)
    .describe('Price of Friday and Saturday nights, minor units; null (default) = `nightlyPrice`.'),
  minNights: z
    .number()
    .int()
    .min(1)
    .max(MAX_MIN_NIGHTS)
    .default(1)
    .describe(`Shortest stay in nights, 1 to ${MAX_MIN_NIGHTS} (default 1).`),
  maxNights: z
    .number()
    .int()
    .min(1)
    .max(MAX_MAX_NIGHTS)
    .default(90)
    .describe(
      `Longest stay in nights, \`minNights\` to ${MAX_MAX_NIGHTS} (default 90); a stay is also at most 90 nights whatever this says.`,
    ),
  maxGuests: z.number().int().min(1).max(50),
  bedrooms: z.number().int().min(0).max(50).default(0),
  beds: z.number().int().min(0).max(100).default(1),
  bathrooms: halfSteps.default(1),
  amenities: z
    .array(amenity)
    .max(50)
    .default([])
    .transform((a) => [...new Set(a)].sort()),
  cancellationPolicy: CancellationPolicy.default('moderate'),
  bookingMode: BookingMode.default('instant'),
};

export const CreatePropertyInput = z
  .strictObject({
    ...propertyFields,
    status: PropertyStatus.extract(['draft', 'listed']).default('draft').describe('`draft` (default) or `listed`.'),
  })
  .refine((v) => v.maxNights >= v.minNights, { path: ['maxNights'], message: 'Must be at least minNights.' })
  .meta({
    id: 'CreatePropertyInput',
    examples: [
      {
        title: 'Sunny flat by the river',
        description: 'Two bedrooms on the third floor, a short walk from the old town.',
        propertyType: 'apartment',
        address: { line1: 'Rua das Flores 12', city: 'Lisbon', postalCode: '1200-195', country: 'PT' },
        latitude: 38.7107,
        longitude: -9.1427,
        timezone: 'Europe/Lisbon',
        currency: 'EUR',
        nightlyPrice: 12500,
        cleaningFee: 3000,
        weeklyDiscountPercent: 10,
        weekendPrice: 14500,
        minNights: 2,
        maxNights: 30,
        maxGuests: 4,
        bedrooms: 2,
        beds: 3,
        bathrooms: 1.5,
        amenities: ['wifi', 'kitchen', 'washer'],
        cancellationPolicy: 'moderate',
        status: 'listed',
      },
    ],
  });
export type CreatePropertyInput = z.infer<typeof CreatePropertyInput>;

export const UpdatePropertyInput = z
  .strictObject({
    title: propertyFields.title.optional(),
    description: text(0, 5000).optional(),
    propertyType: PropertyType.optional(),
    address: AddressPatch.optional(),
    latitude: propertyFields.latitude.optional(),
    longitude: propertyFields.longitude.optional(),
    timezone: propertyFields.timezone.optional(),
    currency: currencyCode.optional(),
    nightlyPrice: money(1).optional(),
    cleaningFee: money(0).optional(),
    weeklyDiscountPercent: z.number().int().min(0).max(50).optional(),
    weekendPrice: money(1).nullable().optional().describe('Null clears it (Friday and Saturday at `nightlyPrice`).'),
    minNights: z.number().int().min(1).max(MAX_MIN_NIGHTS).optional(),
    maxNights: z.number().int().min(1).max(MAX_MAX_NIGHTS).optional(),
    maxGuests: z.number().int().min(1).max(50).optional(),
    bedrooms: z.number().int().min(0).max(50).optional(),
    beds: z.number().int().min(0).max(100).optional(),
    bathrooms: halfSteps.optional(),
    amenities: z
      .array(amenity)
      .max(50)
      .transform((a) => [...new Set(a)].sort())
      .optional(),
    cancellationPolicy: CancellationPolicy.optional(),
    bookingMode: BookingMode.optional(),
    status: PropertyStatus.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'Give at least one field to change.' })
  .meta({
    id: 'UpdatePropertyInput',
    description: 'Any subset of the fields; `address` may be partial.',
    examples: [{ nightlyPrice: 13500, weekendPrice: 15500, minNights: 3, address: { postalCode: '1200-196' } }],
  });
export type UpdatePropertyInput = z.infer<typeof UpdatePropertyInput>;

export const Address = z
  .object({
    line1: z
      .string()
      .nullable()
      .describe('Null for anyone but the host, admins and guests holding a confirmed booking of the place.'),
    city: z.string(),
    region: z.string(),
    postalCode: z.string().nullable().describe('Null whenever `line1` is.'),
    country: z.string(),
  })
  .meta({ id: 'Address' });

/**
 * A photo of a place, as places carry it and as the photos module answers with it (that
 * module owns photos; the shape lives here so that places can carry it).
 */
export const Photo = z
  .object({
    id: z.uuid(),
    status: z
      .enum(['processing', 'ready', 'failed'])
      .describe('`processing` until its variants are made; `failed` when the file could not be decoded.'),
    caption: z.string().nullable(),
    width: z.number().int().nullable().describe('Of the original, once oriented; null until processed.'),
    height: z.number().int().nullable(),
    blurhash: z.string().nullable().describe('A BlurHash placeholder to show while the image loads; null until ready.'),
    urls: z
      .object({
        small: z.string().describe('320 px wide WebP (never upscaled).'),
        medium: z.string().describe('960 px wide WebP.'),
        large: z.string().describe('1920 px wide WebP.'),
      })
      .nullable()
      .describe('Content-addressed, cacheable for ever; null until ready.'),
    position: z.number().int().describe('0 for the first photo of the place; the first ready one is its cover.'),
    failureReason: z.string().nullable().describe('Why processing failed; null otherwise.'),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Photo' });
export type Photo = z.infer<typeof Photo>;

export const Property = z
  .object({
    id: z.uuid(),
    hostId: z.uuid(),
    title: z.string(),
    description: z.string(),
    propertyType: PropertyType,
    address: Address,
    latitude: z
      .number()
      .describe(
        'Exact for the host, admins and guests holding a confirmed booking of the place; for anyone else rounded to 2 decimals (about 1 km), ties away from zero.',
      ),
    longitude: z.number().describe('Exact or rounded, as `latitude`.'),
    timezone: z.string(),
    currency: z.string(),
    nightlyPrice: z.number().int(),
    cleaningFee: z.number().int(),
    weeklyDiscountPercent: z.number().int(),
    weekendPrice: z.number().int().nullable().describe('Price of Friday and Saturday nights; null = `nightlyPrice`.'),
    minNights: z.number().int().describe('Shortest stay in nights, unless a price range sets its own.'),
    maxNights: z.number().int().describe('Longest stay in nights (a stay is at most 90 nights in any case).'),
    maxGuests: z.number().int(),
    bedrooms: z.number().int(),
    beds: z.number().int(),
    bathrooms: z.number(),
    amenities: z.array(z.string()),
    cancellationPolicy: CancellationPolicy,
    bookingMode: BookingMode,
    status: PropertyStatus,
    ratingAverage: z.number().nullable(),
    ratingCount: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    coverPhoto: Photo.nullable().describe('The first ready photo; null while the place has none.'),
    photos: z
      .array(Photo)
      .optional()
      .describe('Every ready photo in order; only in the answer about one place (its detail, create and update).'),
    saved: z
      .boolean()
      .optional()
      .describe(
        'Whether the signed-in caller keeps the place in one of their wishlists; absent for anonymous callers.',
      ),
  })
  .meta({ id: 'Property' });
export type Property = z.infer<typeof Property>;
/** A property as stored, before location privacy is applied: every address field is known. */
export type ExactProperty = Property & { address: { line1: string; postalCode: string } };

export const SearchSort = z.enum(SEARCH_SORTS);
export type SearchSort = z.infer<typeof SearchSort>;

const csv = z
  .string()
  .max(1000)
  .transform((s) =>
    s
      .split(',')
      .map((a) => a.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(z.array(amenity).max(20));

export const SearchPropertiesQuery = pageQuerySchema
  .extend({
    q: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe('Full text over title, description and city.')
      .meta({ examples: ['river view'] }),
    city: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe('City, matched case-insensitively and tolerating typos.')
      .meta({ examples: ['Lisbon'] }),
    country: countryCode.optional(),
    minPrice: z.coerce
      .number()
      .int()
      .min(0)
      .max(INT4_MAX)
      .optional()
      .describe(
        'Minimum nightly price, minor units; with `checkIn` + `checkOut`, of the stay’s average nightly price (its nights’ prices summed over its nights, rounded half up), which the price sorts then use too.',
      ),
    maxPrice: z.coerce
      .number()
      .int()
      .min(0)
      .max(INT4_MAX)
      .optional()
      .describe('Maximum nightly price, minor units; with dates, of the stay’s average nightly price.'),
    guests: z.coerce.number().int().min(1).max(50).optional(),
    checkIn: isoDate.optional(),
    checkOut: isoDate.optional(),
    amenities: csv.optional().describe('Comma list; every one is required.'),
    propertyType: PropertyType.optional(),
    lat: z.coerce.number().min(-90).max(90).optional(),
    lng: z.coerce.number().min(-180).max(180).optional(),
    radiusKm: z.coerce.number().gt(0).max(500).optional(),
    sort: SearchSort.optional().describe('Default `relevance` with `q`, else `newest`.'),
  })
  .superRefine((v, ctx) => {
    if ((v.checkIn === undefined) !== (v.checkOut === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [v.checkIn ? 'checkOut' : 'checkIn'],
        message: 'checkIn and checkOut go together.',
      });
    } else if (v.checkIn && v.checkOut && v.checkIn >= v.checkOut) {
      ctx.addIssue({ code: 'custom', path: ['checkOut'], message: 'Must be after checkIn.' });
    }
    const geo = [v.lat, v.lng, v.radiusKm].filter((x) => x !== undefined).length;
    if (geo !== 0 && geo !== 3)
      ctx.addIssue({ code: 'custom', path: ['radiusKm'], message: 'lat, lng and radiusKm go together.' });
    if (v.minPrice !== undefined && v.maxPrice !== undefined && v.minPrice > v.maxPrice) {
      ctx.addIssue({ code: 'custom', path: ['maxPrice'], message: 'Must not be below minPrice.' });
    }
    if (v.sort === 'relevance' && !v.q)
      ctx.addIssue({ code: 'custom', path: ['sort'], message: '`relevance` needs `q`.' });
  });
export type SearchPropertiesQuery = z.infer<typeof SearchPropertiesQuery>;

export const HostPropertiesQuery = pageQuerySchema.extend({ status: PropertyStatus.optional() });
export type HostPropertiesQuery = z.infer<typeof HostPropertiesQuery>;

export const PropertyIdParams = z.object({ id: idParam('property') });
export {
  Availability,
  AvailabilityQuery,
  Block,
  BlockParams,
  CreateBlockInput,
  toBlockDto,
  UnavailableRange,
} from './properties.calendar.schemas.js';

export function toPropertyDto(row: PropertyRow): ExactProperty {
  return {
    id: row.id,
    hostId: row.hostId,
    title: row.title,
    description: row.description,
    propertyType: row.propertyType,
    address: {
      line1: row.addressLine1,
      city: row.city,
      region: row.region,
      postalCode: row.postalCode,
      country: row.country,
    },
    latitude: row.latitude,
    longitude: row.longitude,
    timezone: row.timezone,
    currency: row.currency,
    nightlyPrice: row.nightlyPrice,
    cleaningFee: row.cleaningFee,
    weeklyDiscountPercent: row.weeklyDiscountPercent,
    weekendPrice: row.weekendPrice,
    minNights: row.minNights,
    maxNights: row.maxNights,
    maxGuests: row.maxGuests,
    bedrooms: row.bedrooms,
    beds: row.beds,
    bathrooms: row.bathrooms,
    amenities: row.amenities,
    cancellationPolicy: row.cancellationPolicy,
    bookingMode: row.bookingMode,
    status: row.status,
    ratingAverage: row.ratingAverage === null ? null : Number(row.ratingAverage),
    ratingCount: row.ratingCount,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    coverPhoto: null,
  };
}
