-- Facts about this database that decide how the service may start: `served_real_bot` is written the first time a
-- real WeCom bot connected, and from then on the sandbox (simulated WeCom) refuses to start on it without SANDBOX=1.
CREATE TABLE service_facts (
  name text PRIMARY KEY,
  value text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);

-- The bot a message is for: each process sends only its own bot's rows, so a sandbox's in-process WeCom never drains
-- a real bot's queue. Rows queued before this column existed belong to nobody until a real bot adopts them.
ALTER TABLE outbox ADD COLUMN bot_id text;
DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox (bot_id, chat_id, rank, id) WHERE status = 'pending';

-- A row leased when its sender vanished (crash, lost lease, database restart) may have reached WeCom: sent again, a
-- card or push says （重发） so a crew does not take it for new work.
ALTER TABLE outbox ADD COLUMN possibly_sent boolean NOT NULL DEFAULT false;

-- Who holds each bot's WeCom connection: a lease renewed in the database (its time, not the hosts'), taken over once it
-- expires. Every take-over bumps `epoch`; the outbox claim checks it, so a holder that was frozen and resumes cannot
-- send another row. `connected` says whether the holder's long connection is authenticated (for /readyz).
CREATE TABLE wecom_leases (
  bot_id text PRIMARY KEY,
  holder text NOT NULL,
  epoch bigint NOT NULL,
  expires_at timestamptz NOT NULL,
  connected boolean NOT NULL DEFAULT false,
  renewed_at timestamptz NOT NULL DEFAULT now()
);
