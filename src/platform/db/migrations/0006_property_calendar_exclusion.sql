-- Custom SQL migration file, put your code below! --
-- Host blocks move into the calendar with their ids, so block URLs stay valid.
INSERT INTO "property_calendar" ("id", "property_id", "kind", "start_date", "end_date", "note", "created_at")
SELECT "id", "property_id", 'block', "start_date", "end_date", "note", "created_at" FROM "property_blocks";
--> statement-breakpoint
-- No two active ranges of one property overlap, whatever their kind: a booking and a block
-- are kept apart by the database. The GiST index serves the calendar's overlap look-ups;
-- queries repeat this exact expression and predicate so the planner can use it.
ALTER TABLE "property_calendar" ADD CONSTRAINT "property_calendar_no_overlap"
  EXCLUDE USING gist ("property_id" WITH =, daterange("start_date", "end_date", '[)') WITH &&)
  WHERE ("released_at" IS NULL);
