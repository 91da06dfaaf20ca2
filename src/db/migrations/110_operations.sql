-- Operations (regulation chapter 4): what the twice-daily self-check, the weekly log review and the monthly operation
-- report read besides the desk's own tables.

-- Warnings and errors the service logged, counted per hour, message and source rather than one row per line: a
-- storm of one warning (a database away for an hour) costs one row an hour, not thousands. Only the message and a
-- few identifier-like fields are kept, never the objects logged with them (they may carry personal data or
-- credentials). Rows older than 90 days are deleted by the weekly job.
CREATE TABLE log_events (
  id bigserial PRIMARY KEY,
  hour timestamptz NOT NULL,
  level text NOT NULL CHECK (level IN ('warn', 'error', 'fatal')),
  message text NOT NULL,
  -- The module, transport component or job that logged it ('' when none was named).
  source text NOT NULL DEFAULT '',
  -- An error code or reason such as ECONNREFUSED ('' when none).
  code text NOT NULL DEFAULT '',
  count integer NOT NULL CHECK (count > 0),
  first_at timestamptz NOT NULL,
  last_at timestamptz NOT NULL,
  UNIQUE (hour, level, message, source, code)
);
CREATE INDEX log_events_last_at ON log_events (last_at);

-- Whether the bot's WeCom connection worked, one row per minute (sampled twice a minute by whichever process runs the
-- job; a minute counts as connected when any sample said so). A minute with no row is a minute no process ran: the
-- monthly report counts it as unavailable. Kept 90 days.
CREATE TABLE wecom_uptime (
  minute timestamptz PRIMARY KEY,
  connected boolean NOT NULL
);

-- Every backup attempt, by the daily job or `npm run backup`: the files are pruned to the newest BACKUP_KEEP, this
-- record of what was taken and what failed is not (one row a day).
CREATE TABLE backup_runs (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  ok boolean NOT NULL,
  file text,
  copy text,
  bytes bigint,
  -- An error's code or class only: its message may name hosts and paths, which the log has.
  error text
);
CREATE INDEX backup_runs_at ON backup_runs (at);
