-- How the sender spends WeCom's budgets (30/min per chat for the bot, 20/min per group robot): replies and card updates
-- first (rank 0), then cards and notices (1), then nags (2).
ALTER TABLE outbox ADD COLUMN rank smallint NOT NULL DEFAULT 1;
-- One line standing for the message in a folded list (a card when a storm fills its chat's minute); null: never folded.
-- A folded list keeps every line of the rows it replaced, so folding it again loses nothing.
ALTER TABLE outbox ADD COLUMN fold_lines text[];
ALTER TABLE outbox ADD COLUMN folded_into bigint REFERENCES outbox (id);
-- A nag is dropped instead of sent stale: when every SLA clock it speaks about has stopped (the step was met), or once
-- stale_at has passed (a warning whose deadline came: its breach says it now).
ALTER TABLE outbox ADD COLUMN clock_ids bigint[];
ALTER TABLE outbox ADD COLUMN stale_at timestamptz;
ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check CHECK (status IN ('pending', 'sent', 'failed', 'folded', 'dropped'));
DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox (chat_id, rank, id) WHERE status = 'pending';

-- The consolidated message that told a fired step (several steps of one sweep share one message).
ALTER TABLE sla_timers ADD COLUMN message_id bigint REFERENCES outbox (id);
