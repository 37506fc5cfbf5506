CREATE TABLE "wishlist_places" (
	"wishlist_id" uuid NOT NULL,
	"property_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wishlist_places_pkey" PRIMARY KEY("property_id","wishlist_id")
);
--> statement-breakpoint
CREATE TABLE "wishlists" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"share_token" text,
	"share_token_hash" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wishlists_share_token_hash_key" UNIQUE("share_token_hash"),
	CONSTRAINT "wishlists_name_check" CHECK (char_length(name) between 1 and 100),
	CONSTRAINT "wishlists_share_token_check" CHECK ((share_token is null) = (share_token_hash is null))
);
--> statement-breakpoint
ALTER TABLE "wishlist_places" ADD CONSTRAINT "wishlist_places_wishlist_id_wishlists_id_fk" FOREIGN KEY ("wishlist_id") REFERENCES "public"."wishlists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wishlist_places" ADD CONSTRAINT "wishlist_places_property_id_properties_id_fk" FOREIGN KEY ("property_id") REFERENCES "public"."properties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wishlist_places" ADD CONSTRAINT "wishlist_places_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wishlists" ADD CONSTRAINT "wishlists_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "wishlist_places_list_idx" ON "wishlist_places" USING btree ("wishlist_id","created_at" DESC NULLS LAST,"property_id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "wishlist_places_user_property_idx" ON "wishlist_places" USING btree ("user_id","property_id");--> statement-breakpoint
CREATE INDEX "wishlists_user_idx" ON "wishlists" USING btree ("user_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);