-- staylane:no-transaction
-- Request to book. Places get a booking mode (instant by default, so every existing place
-- books as before); bookings copy it, and gain the `requested` and `declined` statuses and
-- the host's deadline (`respond_by`); payments gain authorizations (captured or voided later).
-- Checks are replaced NOT VALID in one statement and validated in the next, outside a
-- transaction, so writes go on; the new index is built CONCURRENTLY. Every statement can be rerun.
ALTER TABLE "properties" ADD COLUMN IF NOT EXISTS "booking_mode" text DEFAULT 'instant' NOT NULL;--> statement-breakpoint
ALTER TABLE "properties" DROP CONSTRAINT IF EXISTS "properties_booking_mode_check", ADD CONSTRAINT "properties_booking_mode_check" CHECK (booking_mode in ('instant', 'request')) NOT VALID;--> statement-breakpoint
ALTER TABLE "properties" VALIDATE CONSTRAINT "properties_booking_mode_check";--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN IF NOT EXISTS "respond_by" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN IF NOT EXISTS "booking_mode" text DEFAULT 'instant' NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" DROP CONSTRAINT IF EXISTS "bookings_booking_mode_check", ADD CONSTRAINT "bookings_booking_mode_check" CHECK (booking_mode in ('instant', 'request')) NOT VALID;--> statement-breakpoint
ALTER TABLE "bookings" VALIDATE CONSTRAINT "bookings_booking_mode_check";--> statement-breakpoint
ALTER TABLE "bookings" DROP CONSTRAINT IF EXISTS "bookings_status_check", ADD CONSTRAINT "bookings_status_check" CHECK (status in ('pending', 'requested', 'confirmed', 'declined', 'canceled', 'expired', 'completed')) NOT VALID;--> statement-breakpoint
ALTER TABLE "bookings" VALIDATE CONSTRAINT "bookings_status_check";--> statement-breakpoint
-- A requested booking still holds its nights: the no-overlap constraint covers it. Dropped and
-- added in one statement, so no moment is left without it. An exclusion constraint cannot be
-- NOT VALID: it is built under the table's lock, a scan of the bookings' GiST index's worth.
-- squawk-ignore constraint-missing-not-valid
ALTER TABLE "bookings" DROP CONSTRAINT IF EXISTS "bookings_no_overlap", ADD CONSTRAINT "bookings_no_overlap" EXCLUDE USING gist ("property_id" WITH =, daterange("check_in", "check_out", '[)') WITH &&) WHERE ("status" IN ('pending', 'requested', 'confirmed'));--> statement-breakpoint
CREATE INDEX CONCURRENTLY IF NOT EXISTS "bookings_requested_respond_idx" ON "bookings" USING btree ("respond_by") WHERE status = 'requested';--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN IF NOT EXISTS "capture_method" text DEFAULT 'automatic' NOT NULL;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN IF NOT EXISTS "authorization_reference" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN IF NOT EXISTS "authorized_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN IF NOT EXISTS "settlement" text;--> statement-breakpoint
ALTER TABLE "payments" DROP CONSTRAINT IF EXISTS "payments_capture_method_check", ADD CONSTRAINT "payments_capture_method_check" CHECK (capture_method in ('automatic', 'manual')) NOT VALID;--> statement-breakpoint
ALTER TABLE "payments" VALIDATE CONSTRAINT "payments_capture_method_check";--> statement-breakpoint
ALTER TABLE "payments" DROP CONSTRAINT IF EXISTS "payments_settlement_check", ADD CONSTRAINT "payments_settlement_check" CHECK (settlement is null or settlement in ('capture', 'void')) NOT VALID;--> statement-breakpoint
ALTER TABLE "payments" VALIDATE CONSTRAINT "payments_settlement_check";
