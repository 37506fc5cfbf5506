-- staylane:no-transaction
-- Imported calendars (iCal). External ranges join the place's calendar under its one
-- exclusion constraint: a new kind, `external`, whose rows name their feed in `source_id`.
-- The widened checks are added NOT VALID and validated in their own statements (no
-- transaction around the file), so writes to the calendar go on; every statement can be rerun.
CREATE TABLE IF NOT EXISTS "ical_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"property_id" uuid NOT NULL CONSTRAINT "ical_imports_property_id_properties_id_fk" REFERENCES "public"."properties"("id"),
	"url" text NOT NULL,
	"name" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"etag" text,
	"last_modified" text,
	"error" text,
	"event_count" integer DEFAULT 0 NOT NULL,
	"conflict_count" integer DEFAULT 0 NOT NULL,
	"ranges" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"last_sync_at" timestamp (3) with time zone,
	"last_success_at" timestamp (3) with time zone,
	"next_sync_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ical_imports_status_check" CHECK (status in ('pending', 'ok', 'not_modified', 'error'))
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "ical_conflicts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"import_id" uuid NOT NULL CONSTRAINT "ical_conflicts_import_id_ical_imports_id_fk" REFERENCES "public"."ical_imports"("id") ON DELETE cascade,
	"property_id" uuid NOT NULL CONSTRAINT "ical_conflicts_property_id_properties_id_fk" REFERENCES "public"."properties"("id"),
	"uid" text NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"booking_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ical_conflicts_event_key" UNIQUE("import_id","uid","start_date","end_date")
);
--> statement-breakpoint
CREATE INDEX CONCURRENTLY IF NOT EXISTS "ical_imports_property_idx" ON "ical_imports" USING btree ("property_id","created_at");--> statement-breakpoint
CREATE INDEX CONCURRENTLY IF NOT EXISTS "ical_imports_due_idx" ON "ical_imports" USING btree ("next_sync_at");--> statement-breakpoint
ALTER TABLE "property_calendar" ADD COLUMN IF NOT EXISTS "source_id" uuid;--> statement-breakpoint
ALTER TABLE "property_calendar" DROP CONSTRAINT IF EXISTS "property_calendar_kind_check";--> statement-breakpoint
ALTER TABLE "property_calendar" ADD CONSTRAINT "property_calendar_kind_check" CHECK (kind in ('block', 'booking', 'external')) NOT VALID;--> statement-breakpoint
ALTER TABLE "property_calendar" VALIDATE CONSTRAINT "property_calendar_kind_check";--> statement-breakpoint
ALTER TABLE "property_calendar" DROP CONSTRAINT IF EXISTS "property_calendar_source_check";--> statement-breakpoint
ALTER TABLE "property_calendar" ADD CONSTRAINT "property_calendar_source_check" CHECK ((kind = 'external') = (source_id is not null)) NOT VALID;--> statement-breakpoint
ALTER TABLE "property_calendar" VALIDATE CONSTRAINT "property_calendar_source_check";
