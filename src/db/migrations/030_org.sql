-- The organisation (units, departments, their chats and people, areas, routing rules) as one validated document.
-- Every change is a new version, so a ticket's history can be read against the organisation of its day.
CREATE TABLE org_versions (
  id bigserial PRIMARY KEY,
  doc jsonb NOT NULL,
  source text NOT NULL CHECK (source IN ('file', 'api')),
  created_at timestamptz NOT NULL
);
