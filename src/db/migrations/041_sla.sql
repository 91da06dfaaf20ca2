-- The time limits of the regulation as data: for a ticket kind (and area class where it matters), from event A the event
-- B is due within N minutes or N working days. Rows are seeded in 042 and edited through /api/sla-policies.
CREATE TABLE sla_policies (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('repair', 'complaint', 'report', 'suggestion', 'praise', 'inquiry', 'query')),
  -- null: any area; otherwise only tickets in that class of area.
  area_class text CHECK (area_class IN ('urban', 'rural', 'remote')),
  start_event text NOT NULL,
  stop_events text[] NOT NULL CHECK (cardinality(stop_events) > 0),
  limit_amount integer NOT NULL CHECK (limit_amount > 0),
  -- Minutes run on the wall clock; working days on the calendar, and their nags wait for working hours.
  limit_unit text NOT NULL CHECK (limit_unit IN ('minutes', 'working_days')),
  warn_fraction real CHECK (warn_fraction > 0 AND warn_fraction < 1),
  -- After a breach: the unit leader one cadence later, the company leader two cadences later (same unit as the limit).
  escalate_every integer CHECK (escalate_every > 0),
  -- Who owes the awaited event: the unit or department that owns the ticket, or the desk itself.
  responsible text NOT NULL CHECK (responsible IN ('owner', 'desk')),
  -- The words of the nag: "<since>后已 50 分钟未<awaited>（…），请 @… <action>"; {no} in action is the ticket number.
  since_text text NOT NULL,
  awaited_text text NOT NULL,
  action_text text NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One running time limit of one ticket. The key (ticket, policy, start) makes starting it twice a no-op; at most one is
-- open per ticket and policy. A stopped clock keeps the unit that owed the event, so a breach stays on that unit's record.
CREATE TABLE sla_clocks (
  id bigserial PRIMARY KEY,
  ticket_id bigint NOT NULL REFERENCES tickets (id),
  policy_id integer NOT NULL REFERENCES sla_policies (id),
  -- The owning unit when the clock started; null when the desk owes the event.
  unit_id text,
  started_at timestamptz NOT NULL,
  due_at timestamptz NOT NULL,
  stopped_at timestamptz,
  stop_event text,
  UNIQUE (ticket_id, policy_id, started_at)
);
CREATE UNIQUE INDEX sla_clocks_one_open ON sla_clocks (ticket_id, policy_id) WHERE stopped_at IS NULL;
CREATE INDEX sla_clocks_due ON sla_clocks (due_at);
CREATE INDEX sla_clocks_open_due ON sla_clocks (due_at) WHERE stopped_at IS NULL;
CREATE INDEX sla_clocks_unit ON sla_clocks (unit_id, due_at);

-- The steps of a clock: warn, breach (nag who must act), then the unit leader and the company leader.
-- Firing is `UPDATE … WHERE fired_at IS NULL RETURNING` in the transaction that queues the message: once only,
-- whichever process or job gets there first. Unfired steps are deleted when the clock stops.
CREATE TABLE sla_timers (
  id bigserial PRIMARY KEY,
  clock_id bigint NOT NULL REFERENCES sla_clocks (id),
  step text NOT NULL CHECK (step IN ('warn', 'breach', 'unit_leader', 'company_leader')),
  fire_at timestamptz NOT NULL,
  fired_at timestamptz,
  -- skipped: nothing was sent (a warning overtaken by its deadline, or nobody to tell).
  outcome text CHECK (outcome IN ('sent', 'skipped')),
  UNIQUE (clock_id, step)
);
CREATE INDEX sla_timers_pending ON sla_timers (fire_at) WHERE fired_at IS NULL;
