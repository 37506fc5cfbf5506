CREATE TABLE "property_calendar" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"property_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"note" text,
	"ref_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"released_at" timestamp (3) with time zone,
	CONSTRAINT "property_calendar_range_check" CHECK (start_date < end_date),
	CONSTRAINT "property_calendar_kind_check" CHECK (kind in ('block', 'booking')),
	CONSTRAINT "property_calendar_ref_check" CHECK ((kind = 'booking') = (ref_id is not null))
);
--> statement-breakpoint
ALTER TABLE "property_calendar" ADD CONSTRAINT "property_calendar_property_id_properties_id_fk" FOREIGN KEY ("property_id") REFERENCES "public"."properties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "property_calendar_active_ref_idx" ON "property_calendar" USING btree ("ref_id") WHERE released_at is null;