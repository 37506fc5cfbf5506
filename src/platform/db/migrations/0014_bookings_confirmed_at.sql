ALTER TABLE "bookings" ADD COLUMN "confirmed_at" timestamp (3) with time zone;--> statement-breakpoint
-- Backfill. A confirmed row's last write was its confirmation, so updated_at is exact. A
-- completed row's updated_at is its check-out; its payment came within the hold of
-- created_at (a late success aside), so created_at is the closer value. Canceled rows stay
-- null: only a window's confirmations matter, and those are confirmed rows.
UPDATE "bookings" SET "confirmed_at" = CASE WHEN "status" = 'confirmed' THEN "updated_at" ELSE "created_at" END WHERE "status" IN ('confirmed', 'completed');--> statement-breakpoint
CREATE INDEX "bookings_host_confirmed_idx" ON "bookings" USING btree ("host_id","confirmed_at") WHERE confirmed_at is not null;--> statement-breakpoint
CREATE INDEX "bookings_host_canceled_idx" ON "bookings" USING btree ("host_id","canceled_at") WHERE canceled_at is not null;
