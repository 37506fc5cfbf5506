-- staylane:no-transaction
-- Mail deliveries: keys claimed but not yet marked sent, found by when they were claimed.
-- mail_deliveries holds a row per e-mail ever sent: built CONCURRENTLY, so writes go on.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "mail_deliveries_sending_idx" ON "mail_deliveries" USING btree ("claimed_at") WHERE "mail_deliveries"."state" = 'sending';
