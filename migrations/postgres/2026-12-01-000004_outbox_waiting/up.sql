-- The delivery worker claims the oldest due messages. Ordered by due time and id over only the
-- messages still waiting, the index hands over the first of them at once; the old index on
-- (sent_at, failed_at, next_attempt_at) found every waiting message and left them to be sorted
-- at each claim (24 ms with 28,000 waiting, measured under load on PostgreSQL).
DROP INDEX outbox_due;
CREATE INDEX outbox_waiting ON outbox (next_attempt_at, id)
    WHERE sent_at IS NULL AND failed_at IS NULL;
