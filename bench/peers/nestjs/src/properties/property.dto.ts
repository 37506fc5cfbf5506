import type { PhotoDto } from '../photos/photo.dto.js';
import type { Property } from './property.entity.js';

/** Rounds to about a kilometre (two decimals), halves away from zero. */
const roundCoordinate = (value: number) => (Math.sign(value) * Math.round(Math.abs(value) * 100)) / 100 || 0;

/**
 * A listed place as an anonymous reader sees it: no street line or postal code, and the
 * point rounded to about a kilometre.
 */
export class PropertyDto {
  id: string;
  hostId: string;
  title: string;
  description: string;
  propertyType: string;
  address: { line1: null; city: string; region: string; postalCode: null; country: string };
  latitude: number;
  longitude: number;
  timezone: string;
  currency: string;
  nightlyPrice: number;
  cleaningFee: number;
  weeklyDiscountPercent: number;
  weekendPrice: number | null;
  minNights: number;
  maxNights: number;
  maxGuests: number;
  bedrooms: number;
  beds: number;
  bathrooms: number;
  amenities: string[];
  cancellationPolicy: string;
  bookingMode: string;
  status: string;
  ratingAverage: number | null;
  ratingCount: number;
  createdAt: string;
  updatedAt: string;
  coverPhoto: PhotoDto | null;
  photos: PhotoDto[];

  static fromEntity(p: Property, photos: PhotoDto[]): PropertyDto {
    const dto = new PropertyDto();
    dto.id = p.id;
    dto.hostId = p.hostId;
    dto.title = p.title;
    dto.description = p.description;
    dto.propertyType = p.propertyType;
    dto.address = { line1: null, city: p.city, region: p.region, postalCode: null, country: p.country };
    dto.latitude = roundCoordinate(p.latitude);
    dto.longitude = roundCoordinate(p.longitude);
    dto.timezone = p.timezone;
    dto.currency = p.currency;
    dto.nightlyPrice = p.nightlyPrice;
    dto.cleaningFee = p.cleaningFee;
    dto.weeklyDiscountPercent = p.weeklyDiscountPercent;
    dto.weekendPrice = p.weekendPrice;
    dto.minNights = p.minNights;
    dto.maxNights = p.maxNights;
    dto.maxGuests = p.maxGuests;
    dto.bedrooms = p.bedrooms;
    dto.beds = p.beds;
    dto.bathrooms = p.bathrooms;
    dto.amenities = p.amenities;
    dto.cancellationPolicy = p.cancellationPolicy;
    dto.bookingMode = p.bookingMode;
    dto.status = p.status;
    dto.ratingAverage = p.ratingAverage === null ? null : Number(p.ratingAverage);
    dto.ratingCount = p.ratingCount;
    dto.createdAt = p.createdAt.toISOString();
    dto.updatedAt = p.updatedAt.toISOString();
    dto.coverPhoto = photos[0] ?? null;
    dto.photos = photos;
    return dto;
  }
}
