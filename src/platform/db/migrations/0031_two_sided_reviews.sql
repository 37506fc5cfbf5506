DROP INDEX "reviews_booking_idx";--> statement-breakpoint
DROP INDEX "reviews_property_idx";--> statement-breakpoint
DROP INDEX "reviews_host_created_idx";--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN "guest_id" uuid;--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN "direction" text;--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN "publish_by" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN "published_at" timestamp (3) with time zone;--> statement-breakpoint
-- Reviews written before reviews went both ways were the guests' and public at once: they
-- stay published as of their creation (their ratings are already in the places' figures).
UPDATE "reviews" SET "guest_id" = "author_id", "direction" = 'guest_to_host', "publish_by" = "created_at", "published_at" = "created_at";--> statement-breakpoint
ALTER TABLE "reviews" ALTER COLUMN "guest_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "reviews" ALTER COLUMN "direction" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "reviews" ALTER COLUMN "publish_by" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "guest_rating_sum" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "guest_rating_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "guest_rating_average" numeric(3, 2) GENERATED ALWAYS AS (case when guest_rating_count > 0 then round(guest_rating_sum::numeric / guest_rating_count, 2) end) STORED;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_guest_id_users_id_fk" FOREIGN KEY ("guest_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "reviews_booking_direction_idx" ON "reviews" USING btree ("booking_id","direction");--> statement-breakpoint
CREATE INDEX "reviews_property_published_idx" ON "reviews" USING btree ("property_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE direction = 'guest_to_host' and published_at is not null;--> statement-breakpoint
CREATE INDEX "reviews_guest_published_idx" ON "reviews" USING btree ("guest_id","published_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE direction = 'host_to_guest' and published_at is not null;--> statement-breakpoint
CREATE INDEX "reviews_host_published_idx" ON "reviews" USING btree ("host_id","published_at") WHERE direction = 'guest_to_host' and published_at is not null;--> statement-breakpoint
CREATE INDEX "reviews_unpublished_idx" ON "reviews" USING btree ("publish_by") WHERE published_at is null;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_response_direction_check" CHECK (host_response is null or direction = 'guest_to_host');