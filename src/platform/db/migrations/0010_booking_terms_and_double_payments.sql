-- A second capture of a booking is recorded (then refunded), so captures are no longer unique per booking.
DROP INDEX "payments_one_success_per_booking_key";--> statement-breakpoint
-- Bookings keep the terms they were made under; existing rows take their place's current ones.
ALTER TABLE "bookings" ADD COLUMN "cancellation_policy" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "timezone" text;--> statement-breakpoint
UPDATE "bookings" b SET "cancellation_policy" = p."cancellation_policy", "timezone" = p."timezone"
  FROM "properties" p WHERE p."id" = b."property_id";--> statement-breakpoint
ALTER TABLE "bookings" ALTER COLUMN "cancellation_policy" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" ALTER COLUMN "timezone" SET NOT NULL;
