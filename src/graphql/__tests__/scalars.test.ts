import { Kind, parseValue } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createProperty, inDays } from '#test/factories/properties.js';
import { graphql, register, useTestApp } from '#test/helpers.js';
import { DateScalar, DateTimeScalar } from '../scalars.js';

describe('DateTime', () => {
  it('writes a Date or an ISO-8601 string as the UTC instant REST writes, to the millisecond', () => {
    expect(DateTimeScalar.serialize(new Date('2026-12-07T15:00:00Z'))).toBe('2026-12-07T15:00:00.000Z');
    // What every DTO holds already: left exactly as it is.
    expect(DateTimeScalar.serialize('2026-12-07T15:00:00.000Z')).toBe('2026-12-07T15:00:00.000Z');
    expect(DateTimeScalar.serialize('2026-12-07T16:30:00.250+01:30')).toBe('2026-12-07T15:00:00.250Z');
  });

  it('refuses to write what is not an instant (a server error, never a guess)', () => {
    for (const bad of [new Date('nope'), 'Dec 7, 2026', '2026-12-07', 1_765_119_600_000, null, {}]) {
      expect(() => DateTimeScalar.serialize(bad), JSON.stringify(bad)).toThrow(/DateTime cannot represent/);
    }
  });

  it('takes a UTC instant as REST does, and hands the resolver the string sent', () => {
    expect(DateTimeScalar.parseValue('2026-12-07T15:00:00Z')).toBe('2026-12-07T15:00:00Z');
    expect(DateTimeScalar.parseValue('2026-12-07T15:00:00.123456Z')).toBe('2026-12-07T15:00:00.123456Z');
    expect(DateTimeScalar.parseLiteral(parseValue('"2026-12-07T15:00:00.000Z"'))).toBe('2026-12-07T15:00:00.000Z');
    expect(() => DateTimeScalar.parseValue('2026-12-07T16:00:00+01:00')).toThrow(/Must be an ISO-8601 UTC instant/);
    expect(() => DateTimeScalar.parseValue('0000-12-07T15:00:00Z')).toThrow(/Years run from 0001 to 9999/);
    expect(() => DateTimeScalar.parseValue(1_765_119_600_000)).toThrow(/non-string value: 1765119600000/);
    expect(() => DateTimeScalar.parseLiteral(parseValue('42'))).toThrow(/non-string value: 42/);
  });
});

describe('Date', () => {
  it('writes a day exactly as stored', () => {
    expect(DateScalar.serialize('2026-12-24')).toBe('2026-12-24');
  });

  it('refuses a JS Date (which day it is depends on a time zone) and what is not a real day', () => {
    for (const bad of [
      new Date('2026-12-24T00:00:00Z'),
      '2026-02-30',
      '2026-12-24T00:00:00Z',
      '0000-01-01',
      20261224,
    ]) {
      expect(() => DateScalar.serialize(bad), String(bad)).toThrow(/Date cannot represent/);
    }
  });

  it('takes what REST takes, with its message', () => {
    expect(DateScalar.parseValue('2028-02-29')).toBe('2028-02-29');
    expect(DateScalar.parseLiteral({ kind: Kind.STRING, value: '2026-12-24' })).toBe('2026-12-24');
    expect(() => DateScalar.parseValue('2026-02-29')).toThrow(/Must be a date \(YYYY-MM-DD\)/);
    expect(() => DateScalar.parseValue('26-12-24')).toThrow(/Must be a date \(YYYY-MM-DD\)/);
    expect(() => DateScalar.parseValue('0000-01-01')).toThrow(/Years run from 0001 to 9999/);
    expect(() => DateScalar.parseLiteral({ kind: Kind.INT, value: '20261224' })).toThrow(/non-string value: 20261224/);
  });
});

describe('dates over HTTP', () => {
  const testApp = useTestApp();
  const QUOTE = 'query($i: QuoteInput!) { quote(input: $i) { checkIn checkOut } }';

  it('answers days as sent', async () => {
    const host = await register(testApp().app, { role: 'host' });
    const { id } = await createProperty(testApp().app, host);
    const stay = { propertyId: id, checkIn: inDays(20), checkOut: inDays(23), guests: 1 };
    const res = await graphql(testApp().app, QUOTE, { i: stay });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.quote).toEqual({ checkIn: stay.checkIn, checkOut: stay.checkOut });
  });

  it('refuses a variable that is not a day before anything runs, as any ill-typed variable: 400, naming the field', async () => {
    const stay = { propertyId: 'not-a-uuid', checkIn: '2026-02-30', checkOut: inDays(3), guests: 1 };
    const res = await graphql(testApp().app, QUOTE, { i: stay });
    expect(res.status).toBe(400);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message:
          'Variable "$i" got invalid value "2026-02-30" at "i.checkIn"; Date cannot represent "2026-02-30": Must be a date (YYYY-MM-DD).',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      }),
    ]);
    // The same for an Int given text: the type system answers first.
    const int = await graphql(testApp().app, QUOTE, { i: { ...stay, checkIn: inDays(1), guests: 'two' } });
    expect(int.status).toBe(400);
    expect(int.body.errors?.[0]?.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('refuses a literal that is not a day as a validation error', async () => {
    const res = await graphql(
      testApp().app,
      '{ quote(input: { propertyId: "x", checkIn: "someday", checkOut: "2026-12-24", guests: 1 }) { nights } }',
    );
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]).toMatchObject({
      message: expect.stringContaining('Date cannot represent "someday": Must be a date (YYYY-MM-DD).'),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });
});
