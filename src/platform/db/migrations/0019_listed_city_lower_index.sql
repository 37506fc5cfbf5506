-- The exact city-name look-up as one index-only probe (partial and covering); the plain
-- lower(city) index it replaces lost to a city-ordered index walk under `limit 1`.
CREATE INDEX "properties_listed_city_lower_idx" ON "properties" USING btree (lower(city),"city") WHERE status = 'listed' and deleted_at is null;--> statement-breakpoint
DROP INDEX "properties_city_lower_idx";
