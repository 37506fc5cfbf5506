-- Reviews both ways, double-blind (expand). Reviews gain a direction (every existing one is a
-- guest's review of a place: the default), the booking's guest, and their publication state:
-- `pending` (seen by the author only) defaults to false, so existing reviews stay public as
-- written with no backfill; their ratings are already in the places' figures. Users gain the
-- guest rating's sum and count (constant defaults: no table rewrite). The new foreign key and
-- checks are added NOT VALID (new rows only) and validated by the next reviews migration
-- outside a transaction, which also builds the new indexes concurrently.
ALTER TABLE "reviews" ADD COLUMN IF NOT EXISTS "guest_id" uuid;--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN IF NOT EXISTS "direction" text DEFAULT 'guest_to_host' NOT NULL;--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN IF NOT EXISTS "pending" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN IF NOT EXISTS "publish_by" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN IF NOT EXISTS "published_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN IF NOT EXISTS "guest_rating_sum" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN IF NOT EXISTS "guest_rating_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "reviews" DROP CONSTRAINT IF EXISTS "reviews_guest_id_users_id_fk", ADD CONSTRAINT "reviews_guest_id_users_id_fk" FOREIGN KEY ("guest_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action NOT VALID;--> statement-breakpoint
ALTER TABLE "reviews" DROP CONSTRAINT IF EXISTS "reviews_response_direction_check", ADD CONSTRAINT "reviews_response_direction_check" CHECK (host_response is null or direction = 'guest_to_host') NOT VALID;--> statement-breakpoint
ALTER TABLE "reviews" DROP CONSTRAINT IF EXISTS "reviews_direction_check", ADD CONSTRAINT "reviews_direction_check" CHECK (direction in ('guest_to_host', 'host_to_guest')) NOT VALID;--> statement-breakpoint
ALTER TABLE "reviews" DROP CONSTRAINT IF EXISTS "reviews_pending_check", ADD CONSTRAINT "reviews_pending_check" CHECK (pending = (published_at is null and publish_by is not null)) NOT VALID;
