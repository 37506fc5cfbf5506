CREATE TABLE "properties" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"host_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"property_type" text NOT NULL,
	"address_line1" text NOT NULL,
	"city" text NOT NULL,
	"region" text DEFAULT '' NOT NULL,
	"postal_code" text DEFAULT '' NOT NULL,
	"country" text NOT NULL,
	"latitude" double precision NOT NULL,
	"longitude" double precision NOT NULL,
	"timezone" text NOT NULL,
	"currency" text NOT NULL,
	"nightly_price" integer NOT NULL,
	"cleaning_fee" integer DEFAULT 0 NOT NULL,
	"weekly_discount_percent" smallint DEFAULT 0 NOT NULL,
	"max_guests" smallint NOT NULL,
	"bedrooms" smallint DEFAULT 0 NOT NULL,
	"beds" smallint DEFAULT 1 NOT NULL,
	"bathrooms" real DEFAULT 1 NOT NULL,
	"amenities" text[] DEFAULT '{}'::text[] NOT NULL,
	"cancellation_policy" text DEFAULT 'moderate' NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"rating_sum" integer DEFAULT 0 NOT NULL,
	"rating_count" integer DEFAULT 0 NOT NULL,
	"rating_average" numeric(3, 2) GENERATED ALWAYS AS (case when rating_count > 0 then round(rating_sum::numeric / rating_count, 2) end) STORED,
	"search_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(city, '')), 'B') || setweight(to_tsvector('english', coalesce(description, '')), 'C')) STORED,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp (3) with time zone,
	CONSTRAINT "properties_price_check" CHECK (nightly_price > 0 and cleaning_fee >= 0),
	CONSTRAINT "properties_discount_check" CHECK (weekly_discount_percent between 0 and 50)
);
--> statement-breakpoint
CREATE TABLE "property_blocks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"property_id" uuid NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"note" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "property_blocks_range_check" CHECK (start_date < end_date)
);
--> statement-breakpoint
ALTER TABLE "properties" ADD CONSTRAINT "properties_host_id_users_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "property_blocks" ADD CONSTRAINT "property_blocks_property_id_properties_id_fk" FOREIGN KEY ("property_id") REFERENCES "public"."properties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "properties_host_idx" ON "properties" USING btree ("host_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "properties_listed_newest_idx" ON "properties" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE status = 'listed' and deleted_at is null;--> statement-breakpoint
CREATE INDEX "properties_listed_price_idx" ON "properties" USING btree ("nightly_price","id") WHERE status = 'listed' and deleted_at is null;--> statement-breakpoint
CREATE INDEX "properties_listed_rating_idx" ON "properties" USING btree (coalesce(rating_average, -1) desc,"id" DESC NULLS LAST) WHERE status = 'listed' and deleted_at is null;--> statement-breakpoint
CREATE INDEX "properties_search_idx" ON "properties" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "properties_amenities_idx" ON "properties" USING gin ("amenities");--> statement-breakpoint
CREATE INDEX "properties_city_trgm_idx" ON "properties" USING gin ("city" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "properties_city_lower_idx" ON "properties" USING btree (lower(city));--> statement-breakpoint
CREATE INDEX "properties_geo_idx" ON "properties" USING btree ("latitude","longitude") WHERE status = 'listed' and deleted_at is null;