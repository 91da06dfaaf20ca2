-- Every chat the bot has heard from (WeCom lets it push only into those), and outbox rows kept for a chat that refused
-- a push before anyone there had messaged the bot: they wait, and leave when the chat is heard from.
CREATE TABLE heard_chats (
  chat_id text PRIMARY KEY,
  chat_type text NOT NULL CHECK (chat_type IN ('group', 'single')),
  first_seen_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  -- Everyone who has spoken there, in the order first heard; the last one separately.
  speakers text[] NOT NULL,
  last_speaker text NOT NULL
);

ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check CHECK (status IN ('pending', 'sent', 'failed', 'folded', 'dropped', 'waiting'));
CREATE INDEX outbox_waiting ON outbox (chat_id, id) WHERE status = 'waiting';
