DROP INDEX "properties_geo_idx";--> statement-breakpoint
CREATE INDEX "properties_listed_city_newest_idx" ON "properties" USING btree ("city","created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE status = 'listed' and deleted_at is null;--> statement-breakpoint
CREATE INDEX "properties_listed_city_price_idx" ON "properties" USING btree ("city","nightly_price","id") WHERE status = 'listed' and deleted_at is null;--> statement-breakpoint
CREATE INDEX "properties_listed_geo_idx" ON "properties" USING gist (point(longitude, latitude)) WHERE status = 'listed' and deleted_at is null;