-- Custom SQL migration file, put your code below! --
-- No two active stays of one place overlap, decided by the database: a booking holds its
-- nights [check_in, check_out) while pending or confirmed. (The calendar range a booking
-- also occupies keeps bookings and host blocks apart; this one guards bookings on their own.)
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_no_overlap"
  EXCLUDE USING gist ("property_id" WITH =, daterange("check_in", "check_out", '[)') WITH &&)
  WHERE ("status" IN ('pending', 'confirmed'));
