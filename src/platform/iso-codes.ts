import { z } from 'zod';

/** ISO codes checked against the runtime's own tables (Intl), so no list to keep up to date. */

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
const currencies = new Set(Intl.supportedValuesOf('currency'));

const isCountry = (code: string) => {
  const name = regionNames.of(code);
  return name !== undefined && name !== code && name !== 'Unknown Region';
};

/** An ISO 3166-1 alpha-2 country code, upper-cased (`pt` → `PT`). */
export const countryCode = z
  .string()
  .trim()
  .toUpperCase()
  // Intl.DisplayNames throws on a malformed code: stop at the format check.
  .regex(/^[A-Z]{2}$/, { message: 'Must be an ISO 3166-1 alpha-2 code.', abort: true })
  .refine(isCountry, 'Unknown country code.');

/** An ISO 4217 currency code, upper-cased (`eur` → `EUR`). */
export const currencyCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, 'Must be an ISO 4217 code.')
  .refine((c) => currencies.has(c), 'Unknown currency code.');
