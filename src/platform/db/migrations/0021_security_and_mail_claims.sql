-- IP block list, per-hour request counts and the addresses flagged from them; mail delivery
-- claims record when and by which job a key was claimed.
CREATE TABLE "blocked_ips" (
	"range" "cidr" PRIMARY KEY NOT NULL,
	"reason" text,
	"created_by" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ip_activity" (
	"hour" timestamp with time zone NOT NULL,
	"ip" text NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"admin_probes" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "ip_activity_pkey" PRIMARY KEY("hour","ip")
);
--> statement-breakpoint
CREATE TABLE "suspicious_ips" (
	"ip" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"requests" integer NOT NULL,
	"admin_probes" integer NOT NULL,
	"flagged_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "suspicious_ips_pkey" PRIMARY KEY("hour","ip")
);
--> statement-breakpoint
ALTER TABLE "mail_deliveries" ADD COLUMN "claimed_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "mail_deliveries" ADD COLUMN "job_id" uuid;--> statement-breakpoint
CREATE INDEX "blocked_ips_created_at_idx" ON "blocked_ips" USING btree ("created_at" DESC NULLS LAST,"range");