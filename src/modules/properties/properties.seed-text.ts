import type { Random } from '../../platform/seeding/random.js';
import {
  AMENITIES,
  AMENITY_LABELS,
  CITY_RADIUS_KM,
  COASTAL_FEATURES,
  COASTAL_NOTES,
  DESCRIPTION_HOUSE_NOTES,
  DESCRIPTION_NEIGHBOURHOOD,
  TITLE_ADJECTIVES,
  TITLE_FEATURES,
  type Amenity,
  type SeedCity,
} from './properties.seed-data.js';
import type { PROPERTY_TYPES } from './properties.table.js';

// The demo places' point, amenities, title and description, drawn from the seed data.

type PropertyType = (typeof PROPERTY_TYPES)[number];

export function nearCity(rng: Random, city: SeedCity): { latitude: number; longitude: number } {
  const distanceKm = CITY_RADIUS_KM * rng.next() ** 1.5;
  const bearing = rng.next() * 2 * Math.PI;
  const kmPerDegree = 111.32;
  const latitude = city.latitude + (distanceKm * Math.cos(bearing)) / kmPerDegree;
  const longitude =
    city.longitude + (distanceKm * Math.sin(bearing)) / (kmPerDegree * Math.cos((city.latitude * Math.PI) / 180));
  return { latitude: Math.round(latitude * 1e6) / 1e6, longitude: Math.round(longitude * 1e6) / 1e6 };
}

export function pickAmenities(rng: Random, city: SeedCity, type: PropertyType): string[] {
  const warm = Math.abs(city.latitude) < 35;
  const roomy = type === 'house' || type === 'villa' || type === 'cabin';
  const odds: Record<Amenity, number> = {
    wifi: 0.95,
    kitchen: type === 'room' ? 0.3 : 0.85,
    parking: roomy ? 0.8 : 0.3,
    pool: type === 'villa' ? 0.7 : warm ? 0.12 : 0.04,
    air_conditioning: warm ? 0.85 : 0.35,
    heating: warm ? 0.3 : 0.92,
    washer: type === 'room' ? 0.35 : 0.65,
    tv: 0.7,
    workspace: 0.4,
    hot_tub: type === 'cabin' || type === 'villa' ? 0.3 : 0.04,
    gym: type === 'apartment' ? 0.12 : 0.03,
    pets_allowed: roomy ? 0.35 : 0.15,
    ev_charger: roomy ? 0.12 : 0.03,
    fireplace: type === 'cabin' ? 0.6 : type === 'house' ? 0.2 : 0.04,
    balcony: type === 'apartment' ? 0.5 : 0.2,
    beach_access: city.coastal ? 0.25 : 0,
  };
  // Sorted, as the API stores amenity lists.
  return AMENITIES.filter((a) => rng.chance(odds[a])).sort();
}

export function makeTitle(
  rng: Random,
  city: SeedCity,
  street: string,
  type: PropertyType,
  noun: string,
  bedrooms: number,
): string {
  const adjective = rng.pick(TITLE_ADJECTIVES);
  const feature = city.coastal && rng.chance(0.4) ? rng.pick(COASTAL_FEATURES) : rng.pick(TITLE_FEATURES);
  switch (rng.int(0, 4)) {
    case 0:
      return `${adjective} ${noun} in ${city.name}`;
    case 1:
      return `${adjective} ${noun} with ${feature}`;
    case 2:
      return `${adjective} ${noun} near ${street}`;
    case 3:
      return `${adjective} ${noun} in the heart of ${city.name}`;
    default:
      return bedrooms >= 2 && type !== 'room'
        ? `${adjective} ${bedrooms}-bedroom ${noun} in ${city.name}`
        : `${adjective} ${noun} with ${feature} in ${city.name}`;
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function makeDescription(
  rng: Random,
  city: SeedCity,
  street: string,
  noun: string,
  place: { maxGuests: number; bedrooms: number; beds: number; bathrooms: number; amenities: string[] },
): string {
  const setting = rng.pick([
    `in one of the liveliest parts of ${city.name}`,
    `a short walk from the centre of ${city.name}`,
    `in a quiet corner of ${city.name}`,
    `in a well-connected part of ${city.name}`,
  ]);
  const rooms = place.bedrooms === 0 ? 'an open-plan living and sleeping area' : plural(place.bedrooms, 'bedroom');
  const sentences = [
    `Welcome to our ${rng.pick(TITLE_ADJECTIVES).toLowerCase()} ${noun} on ${street}, ${setting}.`,
    `It sleeps ${plural(place.maxGuests, 'guest')}, with ${rooms}, ${plural(place.beds, 'bed')} and ${plural(place.bathrooms, 'bathroom')}.`,
  ];
  const highlights = rng.sample(place.amenities, 4).map((a) => AMENITY_LABELS[a as Amenity]);
  if (highlights.length >= 2) {
    sentences.push(`Guests love the ${highlights.slice(0, -1).join(', ')} and ${highlights.at(-1)}.`);
  }
  sentences.push(...rng.sample(DESCRIPTION_NEIGHBOURHOOD, rng.int(1, 2)));
  if (city.coastal && rng.chance(0.5)) sentences.push(rng.pick(COASTAL_NOTES));
  sentences.push(...rng.sample(DESCRIPTION_HOUSE_NOTES, rng.int(1, 2)));
  return sentences.join(' ');
}
