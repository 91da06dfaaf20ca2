-- Readable numbers (GZ20261124-0007): one counter per prefix and Shanghai day. The row lock taken by the upsert
-- serialises concurrent openings, and a rolled-back opening gives its number back.
CREATE TABLE number_sequences (
  prefix text NOT NULL,
  day date NOT NULL,
  last integer NOT NULL,
  PRIMARY KEY (prefix, day)
);

-- Published outages (planned, temporary, arrears, fault, rationing, other): a report inside one is explained, not dispatched.
CREATE TABLE outages (
  id bigserial PRIMARY KEY,
  no text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('planned', 'temporary', 'arrears', 'fault', 'rationing', 'other')),
  areas text[] NOT NULL,
  line text,
  voltage_kv real,
  starts_at timestamptz NOT NULL,
  restore_at timestamptz,
  cause text NOT NULL,
  key_customers text,
  remarks text,
  source_ticket_id bigint,
  published_by text NOT NULL,
  published_at timestamptz NOT NULL,
  ended_at timestamptz
);
CREATE INDEX outages_current ON outages USING gin (areas) WHERE ended_at IS NULL;

CREATE TABLE tickets (
  id bigserial PRIMARY KEY,
  no text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('repair', 'complaint', 'report', 'suggestion', 'praise', 'inquiry', 'query')),
  state text NOT NULL,
  area text,
  area_class text CHECK (area_class IN ('urban', 'rural', 'remote')),
  owner_unit_id text,
  owner_user_id text,
  route_rule text,
  address text,
  address_key text,
  landmark text,
  line text,
  voltage_kv real,
  description text NOT NULL,
  reporter_name text,
  phone text,
  subject text,
  demand text,
  revisit_method text,
  category text,
  topic text,
  linked_outage_id bigint REFERENCES outages (id),
  linked_ticket_id bigint REFERENCES tickets (id),
  opened_by text NOT NULL,
  source_chat_id text NOT NULL,
  dispatched_at timestamptz,
  arrival_due_at timestamptz,
  result text,
  answer text,
  satisfaction text CHECK (satisfaction IN ('satisfied', 'fair', 'dissatisfied')),
  overdue_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
ALTER TABLE outages ADD CONSTRAINT outages_source_ticket FOREIGN KEY (source_ticket_id) REFERENCES tickets (id);
CREATE INDEX tickets_owner_open ON tickets (owner_unit_id, state);
CREATE INDEX tickets_created ON tickets (created_at);
CREATE INDEX tickets_same_place ON tickets (area, address_key) WHERE kind = 'repair';

-- What happened to a ticket, by whom, through which message or tap: the timeline people read and the SLA clocks run on.
CREATE TABLE ticket_events (
  id bigserial PRIMARY KEY,
  ticket_id bigint NOT NULL REFERENCES tickets (id),
  type text NOT NULL,
  from_state text,
  to_state text NOT NULL,
  actor_id text NOT NULL,
  actor_name text NOT NULL,
  via text NOT NULL CHECK (via IN ('message', 'tap', 'api', 'system')),
  via_ref text,
  chat_id text,
  data jsonb NOT NULL DEFAULT '{}',
  at timestamptz NOT NULL
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);

-- Every button card we pushed: a tap is honoured only on a task_id we issued.
CREATE TABLE ticket_cards (
  task_id text PRIMARY KEY,
  ticket_id bigint NOT NULL REFERENCES tickets (id),
  chat_id text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX ticket_cards_ticket ON ticket_cards (ticket_id);
