-- Radius search measures from the public point (coordinates rounded to 2 decimals, as
-- strangers see them), so that no sequence of searches locates a place more finely than
-- that; its GiST index moves to the same expression. A plain CREATE INDEX, as the earlier
-- index migrations: drizzle runs each migration in a transaction, where CONCURRENTLY is not
-- allowed. It blocks writes to properties while it builds (about a second per 100,000 rows)
-- and never blocks reads; the old index goes only once the new one exists.
CREATE INDEX "properties_listed_public_geo_idx" ON "properties" USING gist (point(round(longitude::numeric, 2)::double precision, round(latitude::numeric, 2)::double precision)) WHERE status = 'listed' and deleted_at is null;--> statement-breakpoint
DROP INDEX "properties_listed_geo_idx";
