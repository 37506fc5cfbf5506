-- Custom SQL migration file, put your code below! --
-- The review request moved from bookings (`bookings.send-email` with email "review-request")
-- to the reviews module, which checks that no review exists yet. Unfinished rows of the old
-- shape would fail the old kind's payload check and go dead: give them the new kind. Keys
-- (`job:review-request:<id>`, e-mail `review-request:<id>`) are unchanged.
UPDATE "jobs"
SET "kind" = 'reviews.send-review-request',
    "payload" = jsonb_build_object('bookingId', "payload"->>'bookingId')
WHERE "kind" = 'bookings.send-email'
  AND "payload"->>'email' = 'review-request'
  AND "state" <> 'done';
