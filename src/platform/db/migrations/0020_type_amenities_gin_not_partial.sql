CREATE INDEX "properties_type_amenities_idx" ON "properties" USING gin ("property_type","amenities");--> statement-breakpoint
DROP INDEX "properties_listed_type_amenities_idx";
