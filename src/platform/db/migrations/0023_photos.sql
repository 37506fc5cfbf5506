CREATE TABLE "photos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"property_id" uuid NOT NULL,
	"status" text DEFAULT 'processing' NOT NULL,
	"position" integer NOT NULL,
	"caption" text,
	"original_type" text NOT NULL,
	"original_key" text,
	"key_prefix" text NOT NULL,
	"width" integer,
	"height" integer,
	"blurhash" text,
	"failure_reason" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "photos_status_check" CHECK (status in ('processing', 'ready', 'failed')),
	CONSTRAINT "photos_position_check" CHECK (position >= 0),
	CONSTRAINT "photos_caption_check" CHECK (char_length(caption) <= 200),
	CONSTRAINT "photos_ready_check" CHECK (status <> 'ready' or (width is not null and height is not null and blurhash is not null))
);
--> statement-breakpoint
ALTER TABLE "photos" ADD CONSTRAINT "photos_property_id_properties_id_fk" FOREIGN KEY ("property_id") REFERENCES "public"."properties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "photos_property_position_idx" ON "photos" USING btree ("property_id","position");--> statement-breakpoint
CREATE INDEX "photos_ready_cover_idx" ON "photos" USING btree ("property_id","position") WHERE status = 'ready';--> statement-breakpoint
CREATE INDEX "photos_key_prefix_idx" ON "photos" USING btree ("key_prefix");