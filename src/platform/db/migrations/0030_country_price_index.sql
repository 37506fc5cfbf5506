-- staylane:no-transaction
-- Search by country with a price filter or a dated price sort: the country's listed places
-- read by index instead of a scan of every place. Built CONCURRENTLY, so writes go on.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "properties_listed_country_price_idx" ON "properties" USING btree ("country","nightly_price","id") WHERE status = 'listed' and deleted_at is null;
