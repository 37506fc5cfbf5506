CREATE TABLE "ical_exports" (
	"property_id" uuid PRIMARY KEY NOT NULL,
	"token" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"rotated_at" timestamp (3) with time zone,
	CONSTRAINT "ical_exports_token_hash_key" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "ical_exports" ADD CONSTRAINT "ical_exports_property_id_properties_id_fk" FOREIGN KEY ("property_id") REFERENCES "public"."properties"("id") ON DELETE no action ON UPDATE no action;