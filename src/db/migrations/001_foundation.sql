-- Working-day overrides: next year's holiday schedule is published late, so the desk can correct the calendar.
CREATE TABLE calendar_overrides (
  date date PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('workday', 'holiday')),
  note text,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Secrets generated at first start (e.g. the admin token when ADMIN_TOKEN is unset).
CREATE TABLE app_secrets (
  name text PRIMARY KEY,
  value text NOT NULL
);
