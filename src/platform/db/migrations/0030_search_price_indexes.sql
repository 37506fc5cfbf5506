-- staylane:no-transaction
-- Dated search sorted or filtered by the stay's price sorts every candidate of a city or a
-- country (no index can hold a stay's price): with weekend_price and max_guests after the key,
-- those candidates come from the index alone instead of every place's row. The country index is
-- new; the city index is rebuilt wider under a temporary name, then takes the old one's name.
-- Built CONCURRENTLY, so writes go on; every statement can be rerun.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "properties_listed_country_price_idx" ON "properties" USING btree ("country","nightly_price","id","weekend_price","max_guests") WHERE status = 'listed' and deleted_at is null;--> statement-breakpoint
CREATE INDEX CONCURRENTLY IF NOT EXISTS "properties_listed_city_price_wide_idx" ON "properties" USING btree ("city","nightly_price","id","weekend_price","max_guests") WHERE status = 'listed' and deleted_at is null;--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "properties_listed_city_price_idx";--> statement-breakpoint
ALTER INDEX IF EXISTS "properties_listed_city_price_wide_idx" RENAME TO "properties_listed_city_price_idx";
