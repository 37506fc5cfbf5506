import fc from 'fast-check';

/**
 * Values at the edges of what any input could mean: numeric limits of the column types
 * and of JavaScript, impossible and extreme dates, NUL, long and unusual Unicode, and
 * every JSON type where another was expected.
 */

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export const BOUNDARY_NUMBERS: readonly number[] = [
  0,
  -0,
  1,
  -1,
  0.5,
  1.5,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31),
  -(2 ** 31) - 1,
  2 ** 32,
  2 ** 53,
  -(2 ** 53),
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
  1e-320,
  5e-324,
  -1e-320,
  1e-40,
  3.4e38,
  1e39,
  1e21,
  1e308,
  -1e308,
  Number.MAX_VALUE,
  0.1 + 0.2,
  123.456789012345,
];

export const NUMERIC_STRINGS: readonly string[] = [
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '+1',
  '1e-320',
  '1e400',
  '2147483647',
  '2147483648',
  '-2147483649',
  '9007199254740993',
  '0x10',
  '0b11',
  '1_000',
  '00',
  '1.',
  '.5',
  ' 1 ',
  '',
  ' ',
];

export const EXTREME_DATES: readonly string[] = [
  '0000-01-01',
  '0000-02-29',
  '0001-01-01',
  '1969-12-31',
  '1970-01-01',
  '2024-02-29',
  '2025-02-29',
  '2026-02-30',
  '2026-13-01',
  '2026-1-1',
  '9999-12-31',
  '10000-01-01',
  '-0001-01-01',
  '+002026-01-01',
  day(1),
  day(3),
  day(10),
  day(30),
  day(400),
  day(-1),
  '0000-01-01T00:00:00.000Z',
  '0001-01-01T00:00:00.000Z',
  '9999-12-31T23:59:59.999Z',
  '+275760-09-13T00:00:00.000Z',
  '2026-11-26T10:00:00+02:00',
  '2026-11-26T24:00:00Z',
];

export const ODD_STRINGS: readonly string[] = [
  '\u0000',
  'a\u0000b',
  '%00',
  '🏠🌍👩‍👩‍👧‍👦',
  '\u202Eevil\u202C',
  'مرحبا بالعالم',
  'שלום',
  '\uD800',
  '\uDFFF\uD800',
  '\uFEFF',
  '\u00A0\u2028\u2029',
  'x'.repeat(10_000),
  '🏠'.repeat(5_000),
  'é'.repeat(300),
  'A'.repeat(255),
  "' OR '1'='1",
  '"); drop table users; --',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '\\',
  '"',
  'null',
  'true',
  '[]',
  '{}',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'not-a-uuid',
  'a@b',
  '  UPPER@EXAMPLE.COM  ',
  'x@' + 'y'.repeat(300) + '.com',
  'Europe/Atlantis',
  'UTC',
  'ZZ',
  'XXX',
];

const deep = (levels: number): unknown => {
  let v: unknown = 'bottom';
  for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { nested: v };
  return v;
};

export const WRONG_TYPES: readonly unknown[] = [
  null,
  true,
  false,
  [],
  {},
  [1, 'two', null],
  { unexpected: 1 },
  deep(64),
];

export const boundaryString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ODD_STRINGS, ...EXTREME_DATES, ...NUMERIC_STRINGS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
);

export const boundaryNumber = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...BOUNDARY_NUMBERS) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.integer() },
);

/** Any value where a schema wanted something specific. */
export const boundaryValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: boundaryString },
  { weight: 3, arbitrary: boundaryNumber },
  { weight: 1, arbitrary: fc.constantFrom(...WRONG_TYPES) },
);

/** A query-string value: what a URL can carry. */
export const boundaryQueryValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: boundaryString },
  { weight: 2, arbitrary: boundaryNumber.map(String) },
);
