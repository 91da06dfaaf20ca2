-- A frame whose handler kept failing is given up (and the person told); it then leaves the unhandled set.
ALTER TABLE inbox ADD COLUMN failed_at timestamptz;

-- A lease on a row being sent, so that two senders (only possible for a moment around a hand-over) never send it twice.
-- Leases use the database's real time: they are about live processes, not about the business clock.
ALTER TABLE outbox ADD COLUMN locked_by text, ADD COLUMN locked_until timestamptz;

-- What was sent in the last hour per conversation: a new connection holder starts with WeCom's rate windows filled in.
CREATE INDEX outbox_recent_sent ON outbox (sent_at) WHERE status = 'sent';
