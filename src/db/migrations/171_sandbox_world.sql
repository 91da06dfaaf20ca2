-- The sandbox's world across restarts: how far its clock was moved ahead, and what its chats showed (the simulated
-- WeCom's transcript and cards). Without it a restart after 快进 put the clock back while rows stayed in the future.
CREATE TABLE sandbox_world (
  name text PRIMARY KEY CHECK (name IN ('clock', 'chats')),
  value jsonb NOT NULL,
  saved_at timestamptz NOT NULL DEFAULT now()
);
