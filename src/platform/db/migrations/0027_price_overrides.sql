CREATE TABLE "property_price_overrides" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"property_id" uuid NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"nightly_price" integer,
	"min_nights" smallint,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "property_price_overrides_range_check" CHECK (start_date < end_date),
	CONSTRAINT "property_price_overrides_values_check" CHECK ((nightly_price is not null or min_nights is not null) and (nightly_price is null or nightly_price between 1 and 100000000) and (min_nights is null or min_nights between 1 and 365))
);
--> statement-breakpoint
ALTER TABLE "property_price_overrides" ADD CONSTRAINT "property_price_overrides_property_id_properties_id_fk" FOREIGN KEY ("property_id") REFERENCES "public"."properties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "property_price_overrides_price_idx" ON "property_price_overrides" USING gist (daterange(start_date, end_date, '[)')) WHERE nightly_price is not null;--> statement-breakpoint
-- No two overrides of one place share a night. The constraint's GiST index serves every read
-- of one place's overrides; queries repeat this exact expression so the planner can use it.
ALTER TABLE "property_price_overrides" ADD CONSTRAINT "property_price_overrides_no_overlap"
  EXCLUDE USING gist ("property_id" WITH =, daterange("start_date", "end_date", '[)') WITH &&);
