-- The rows about one entity, newest first: a user's personal-data export reads those about them.
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity","entity_id","at" DESC NULLS LAST,"id" DESC NULLS LAST);
