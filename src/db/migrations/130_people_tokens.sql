-- API tokens issued to named people, so the audit log says who changed what. Only a hash of each token is kept (a
-- read of this table, or of a backup, gives no working credential) with its last four characters to tell them apart.
-- The single ADMIN_TOKEN / LEADER_TOKEN of earlier versions keep working, recorded as unnamed, until replaced.
CREATE TABLE api_tokens (
  id bigserial PRIMARY KEY,
  holder text NOT NULL CHECK (length(holder) BETWEEN 1 AND 64),
  role text NOT NULL CHECK (role IN ('admin', 'leader')),
  token_hash bytea NOT NULL UNIQUE,
  tail text NOT NULL,
  issued_by text NOT NULL,
  issued_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_by text
);

-- The audit log also covers outage notices, the knowledge base and the tokens themselves.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_subject_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_subject_check
  CHECK (subject IN ('org', 'sla_policies', 'calendar', 'outages', 'faq', 'tokens'));
