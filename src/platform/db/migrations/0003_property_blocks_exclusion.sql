-- No two calendar blocks of one property overlap; the GiST index also serves date-overlap
-- look-ups (search with dates, availability).
ALTER TABLE "property_blocks" ADD CONSTRAINT "property_blocks_no_overlap"
  EXCLUDE USING gist ("property_id" WITH =, daterange("start_date", "end_date") WITH &&);
