import { beforeAll, describe, expect, it } from 'vitest';
import { address, createProperty, ids, search } from '#test/factories/properties.js';
import { register, useTestApp } from '#test/helpers.js';

/**
 * Radius search where a plain latitude/longitude box goes wrong: at high latitudes (a
 * degree of longitude shrinks), at the corners of the box (inside it, outside the circle)
 * and across the antimeridian. Distances worked out by hand with the haversine formula.
 */
const testApp = useTestApp();
const id: Record<string, string> = {};

const PLACES: Record<string, [string, string, number, number]> = {
  // Taveuni, Fiji, straddles 180°.
  taveuniWest: ['Waiyevo', 'FJ', -16.85, 179.98],
  taveuniEast: ['Somosomo', 'FJ', -16.75, -179.9],
  vanuaLevu: ['Savusavu', 'FJ', -16.8, 179.7],
  // Around Oslo (59.91, 10.75).
  osloEast: ['Lillestrom', 'NO', 59.91, 11.55], // 44.6 km
  osloNorth: ['Jevnaker', 'NO', 60.3, 10.75], // 43.4 km
  osloFar: ['Askim', 'NO', 59.91, 11.7], // 53.0 km
  osloCorner: ['Hurdal', 'NO', 60.25, 11.5], // 56.2 km, inside the 50 km box
};

beforeAll(async () => {
  const t = testApp();
  const host = await register(t.app, { role: 'host' });
  for (const [key, [city, country, latitude, longitude]] of Object.entries(PLACES)) {
    const p = await createProperty(t.app, host, {
      address: address(city, country),
      latitude,
      longitude,
      timezone: country === 'FJ' ? 'Pacific/Fiji' : 'Europe/Oslo',
      nightlyPrice: 1_000 + Object.keys(id).length,
    });
    id[key] = p.id;
  }
});

async function within(lat: number, lng: number, radiusKm: number): Promise<string[]> {
  const { res, body } = await search(testApp().app, { lat, lng, radiusKm, sort: 'price_asc', limit: 100 });
  expect(res.statusCode).toBe(200);
  return ids(body.data).map((found) => Object.keys(id).find((k) => id[k] === found)!);
}

describe('radius search', () => {
  it('widens the longitude span with latitude, and cuts the corners of its box', async () => {
    expect(await within(59.91, 10.75, 50)).toEqual(['osloEast', 'osloNorth']);
    expect(await within(59.91, 10.75, 54)).toEqual(['osloEast', 'osloNorth', 'osloFar']);
    expect(await within(59.91, 10.75, 57)).toEqual(['osloEast', 'osloNorth', 'osloFar', 'osloCorner']);
  });

  it('finds places on the other side of the antimeridian', async () => {
    // From the east side (-179.97): Waiyevo 7.7 km, Somosomo 9.3 km, Savusavu 35.1 km.
    expect(await within(-16.8, -179.97, 20)).toEqual(['taveuniWest', 'taveuniEast']);
    // From the west side (179.95): Waiyevo 6.4 km, Somosomo 16.9 km, Savusavu 26.6 km.
    expect(await within(-16.8, 179.95, 20)).toEqual(['taveuniWest', 'taveuniEast']);
    expect(await within(-16.8, 179.95, 30)).toEqual(['taveuniWest', 'taveuniEast', 'vanuaLevu']);
    expect(await within(-16.8, -179.97, 10)).toEqual(['taveuniWest', 'taveuniEast']);
    expect(await within(-16.8, -179.97, 8)).toEqual(['taveuniWest']);
  });
});

describe('radius search measures from the public, rounded point', () => {
  // Published to strangers as (38.71, -9.14), ~440 m away.
  const exact = { lat: 38.71391, lng: -9.13947 };
  const rounded = { lat: 38.71, lng: -9.14 };
  const km = (a: { lat: number; lng: number }, b: { lat: number; lng: number }) => {
    const rad = (d: number) => (d * Math.PI) / 180;
    const h =
      Math.sin(rad(b.lat - a.lat) / 2) ** 2 +
      Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lng - a.lng) / 2) ** 2;
    return 2 * 6371 * Math.asin(Math.sqrt(h));
  };
  let placeId: string;
  let host: Awaited<ReturnType<typeof register>>;
  const found = async (centre: { lat: number; lng: number }, radiusKm: number, as?: { authorization: string }) => {
    const qs = new URLSearchParams({
      lat: String(centre.lat),
      lng: String(centre.lng),
      radiusKm: String(radiusKm),
      limit: '100',
    });
    const res = await testApp().app.inject({ url: `/v1/properties?${qs.toString()}`, headers: as ?? {} });
    expect(res.statusCode).toBe(200);
    return ids(res.json<{ data: { id: string }[] }>().data).includes(placeId);
  };

  beforeAll(async () => {
    host = await register(testApp().app, { role: 'host' });
    const p = await createProperty(testApp().app, host, { latitude: exact.lat, longitude: exact.lng });
    placeId = p.id;
  });

  it('a search centred on the exact point with a radius short of the rounded one does not find it', async () => {
    const gap = km(exact, rounded);
    expect(gap).toBeGreaterThan(0.4);
    expect(await found(exact, gap - 0.02)).toBe(false);
    expect(await found(exact, gap + 0.02)).toBe(true);
    // Centred on the published point, the smallest radius finds it.
    expect(await found(rounded, 0.001)).toBe(true);
    // The host searching sees the same: the rule is the search's, not the caller's.
    expect(await found(exact, gap - 0.02, host.auth)).toBe(false);
  });

  it('binary-searching the radius from three centres converges on the rounded point, not the exact one', async () => {
    const centres = [
      { lat: 38.75, lng: -9.14 },
      { lat: 38.69, lng: -9.1 },
      { lat: 38.7, lng: -9.19 },
    ];
    for (const centre of centres) {
      // The smallest radius that finds it, to a metre.
      let [low, high] = [0, 20];
      while (high - low > 0.001) {
        const mid = (low + high) / 2;
        if (await found(centre, mid)) high = mid;
        else low = mid;
      }
      expect(Math.abs(high - km(centre, rounded))).toBeLessThan(0.002);
      expect(Math.abs(high - km(centre, exact))).toBeGreaterThan(0.05);
    }
  });
});
