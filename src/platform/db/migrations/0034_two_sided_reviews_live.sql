-- staylane:no-transaction
-- Reviews both ways, double-blind: the constraints added NOT VALID by 0031 are validated (a
-- scan under a lock that lets writes go on) and the new indexes built CONCURRENTLY. The
-- one-review-per-booking index becomes one per booking and direction: the new unique index is
-- built before the old one is dropped, so a booking is never left without the rule. Every
-- statement can be rerun.
-- squawk-ignore prefer-robust-stmts
ALTER TABLE "reviews" VALIDATE CONSTRAINT "reviews_guest_id_users_id_fk";--> statement-breakpoint
-- squawk-ignore prefer-robust-stmts
ALTER TABLE "reviews" VALIDATE CONSTRAINT "reviews_response_direction_check";--> statement-breakpoint
-- squawk-ignore prefer-robust-stmts
ALTER TABLE "reviews" VALIDATE CONSTRAINT "reviews_direction_check";--> statement-breakpoint
-- squawk-ignore prefer-robust-stmts
ALTER TABLE "reviews" VALIDATE CONSTRAINT "reviews_pending_check";--> statement-breakpoint
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "reviews_booking_direction_idx" ON "reviews" USING btree ("booking_id","direction");--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "reviews_booking_idx";--> statement-breakpoint
CREATE INDEX CONCURRENTLY IF NOT EXISTS "reviews_guest_published_idx" ON "reviews" USING btree ("guest_id","published_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE direction = 'host_to_guest' and not pending;--> statement-breakpoint
CREATE INDEX CONCURRENTLY IF NOT EXISTS "reviews_host_published_idx" ON "reviews" USING btree ("host_id","published_at") WHERE direction = 'guest_to_host' and not pending;--> statement-breakpoint
CREATE INDEX CONCURRENTLY IF NOT EXISTS "reviews_unpublished_idx" ON "reviews" USING btree ("publish_by") WHERE pending;
