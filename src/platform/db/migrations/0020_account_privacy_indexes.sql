-- Account privacy: a user's personal-data export reads the audit rows about them (entity
-- 'user', their id), and closing an account erases its address from the mail delivery log.
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity","entity_id","at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "mail_deliveries_recipient_idx" ON "mail_deliveries" USING btree ("recipient");