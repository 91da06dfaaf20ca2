-- Every frame WeCom delivers is written here first; the unique key makes redeliveries (same msgid) no-ops,
-- across restarts, reconnects and the hand-over between processes.
CREATE TABLE inbox (
  id bigserial PRIMARY KEY,
  dedupe_key text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('text', 'tap', 'event')),
  req_id text NOT NULL,
  chat_id text,
  user_id text,
  frame jsonb NOT NULL,
  received_at timestamptz NOT NULL,
  handled_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text
);
CREATE INDEX inbox_unhandled ON inbox (id) WHERE handled_at IS NULL;

-- Every outbound message, written in the transaction that caused it; sent in order per chat by the connection holder.
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  channel text NOT NULL CHECK (channel IN ('reply', 'push', 'update', 'webhook')),
  chat_id text NOT NULL,
  req_id text,
  body jsonb NOT NULL,
  dedupe_key text UNIQUE,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  attempt_log jsonb NOT NULL DEFAULT '[]',
  next_attempt_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  sent_at timestamptz,
  last_errcode integer,
  last_error text
);
CREATE INDEX outbox_pending ON outbox (chat_id, id) WHERE status = 'pending';

CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('outbox', NEW.chat_id);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION outbox_notify();
