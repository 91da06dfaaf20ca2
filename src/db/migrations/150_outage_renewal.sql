-- A notice without an expected restore time explains new fault reports only for a while (routing.openOutageHours of
-- the organisation) from its start or from the desk's last renewal (/停电 续期): an open-ended notice nobody looks
-- after must not keep swallowing reports.
ALTER TABLE outages ADD COLUMN renewed_at timestamptz;
