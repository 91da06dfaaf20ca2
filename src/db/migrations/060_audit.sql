-- Every change to the rules the desk works by (the organisation, the SLA time limits, the working-day calendar): who
-- made it (the role of the admin token), when, and the whole before and after, written in the change's transaction.
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  subject text NOT NULL CHECK (subject IN ('org', 'sla_policies', 'calendar')),
  actor text NOT NULL,
  at timestamptz NOT NULL,
  before jsonb,
  after jsonb NOT NULL
);
CREATE INDEX audit_log_subject ON audit_log (subject, id);
