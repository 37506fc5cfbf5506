-- btree_gin lets one GIN index hold a plain column (property_type) next to an array; PGlite loads it too.
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
CREATE INDEX "properties_listed_type_amenities_idx" ON "properties" USING gin ("property_type","amenities") WHERE status = 'listed' and deleted_at is null;--> statement-breakpoint
DROP INDEX "properties_amenities_idx";
