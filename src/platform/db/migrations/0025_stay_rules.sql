-- staylane:no-transaction
-- Stay rules of a place: weekend price, minimum and maximum nights. The check is added NOT VALID
-- and validated in its own statement (no transaction around the file), so writes to places go on;
-- every statement can be rerun.
ALTER TABLE "properties" ADD COLUMN IF NOT EXISTS "weekend_price" integer;--> statement-breakpoint
ALTER TABLE "properties" ADD COLUMN IF NOT EXISTS "min_nights" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "properties" ADD COLUMN IF NOT EXISTS "max_nights" smallint DEFAULT 90 NOT NULL;--> statement-breakpoint
ALTER TABLE "properties" DROP CONSTRAINT IF EXISTS "properties_stay_rules_check";--> statement-breakpoint
ALTER TABLE "properties" ADD CONSTRAINT "properties_stay_rules_check" CHECK ((weekend_price is null or weekend_price > 0) and min_nights between 1 and 365 and max_nights between min_nights and 730) NOT VALID;--> statement-breakpoint
ALTER TABLE "properties" VALIDATE CONSTRAINT "properties_stay_rules_check";
