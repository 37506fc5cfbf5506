-- Search indexes. btree_gin lets one GIN index hold a plain column (property_type) next to
-- an array, for amenities + type (PGlite loads the extension too); it replaces the
-- amenities-only index. It is not partial: a partial one let the planner scan it whole as a
-- "listed places" filter beside full text. A city sorted by rating gets its own index.
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
CREATE INDEX "properties_type_amenities_idx" ON "properties" USING gin ("property_type","amenities");--> statement-breakpoint
DROP INDEX "properties_amenities_idx";--> statement-breakpoint
CREATE INDEX "properties_listed_city_rating_idx" ON "properties" USING btree ("city",coalesce(rating_average, -1) desc,"id" DESC NULLS LAST) WHERE status = 'listed' and deleted_at is null;
