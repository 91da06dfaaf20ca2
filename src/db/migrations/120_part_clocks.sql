-- Joint handling (三、二、6): each helper's part of a joint work order is timed on its own, from its assignment to its
-- reply, due when the part says (one working day before the handling deadline, so the lead can consolidate), and its
-- unit is chased when it runs late. Several helpers owe the same event of one ticket at once, so a clock may belong to
-- a part: part_of names the helper unit, and only that unit's own event stops it. No limit of the regulation: these
-- rows are left out of the monthly assessment (src/domain/sla/limits.ts OTHER_POLICIES).
ALTER TABLE sla_clocks ADD COLUMN part_of text;
ALTER TABLE sla_clocks DROP CONSTRAINT sla_clocks_ticket_id_policy_id_started_at_key;
CREATE UNIQUE INDEX sla_clocks_start ON sla_clocks (ticket_id, policy_id, coalesce(part_of, ''), started_at);
DROP INDEX sla_clocks_one_open;
CREATE UNIQUE INDEX sla_clocks_one_open ON sla_clocks (ticket_id, policy_id, coalesce(part_of, '')) WHERE stopped_at IS NULL;

INSERT INTO sla_policies
  (code, kind, area_class, start_event, stop_events, cancel_events, limit_amount, limit_unit, warn_fraction, escalate_every,
   responsible, since_text, awaited_text, action_text, enabled)
SELECT kind || '.assist', kind, NULL, 'assist_assigned', '{assist_replied}', '{}', 1, 'working_days', 0.75, 1, 'owner',
  '协办交办', '答复协办意见', '请答复协办意见：/答复 {no} 协办意见', true
FROM unnest(ARRAY['complaint', 'report', 'suggestion', 'praise']) AS kind;

-- A clock's own limit: its policy's, or the one its ticket set (a specialist's 2 hours on /转专业, a helper's part of
-- 3 working days), which the nags, the SLA board and the timeline state. Earlier clocks take their policy's.
ALTER TABLE sla_clocks ADD COLUMN limit_amount integer, ADD COLUMN limit_unit text CHECK (limit_unit IN ('minutes', 'working_days'));
UPDATE sla_clocks c SET limit_amount = p.limit_amount, limit_unit = p.limit_unit FROM sla_policies p WHERE p.id = c.policy_id;
ALTER TABLE sla_clocks ALTER COLUMN limit_amount SET NOT NULL, ALTER COLUMN limit_unit SET NOT NULL;
