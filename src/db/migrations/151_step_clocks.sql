-- Steps that had no clock (issue 23): a repair sent back for rework, and the desk's review of every reply. Neither has
-- a figure in the regulation; one working day each, so a ticket cannot sit in rework or in review unnoticed. They are
-- chased and shown on the SLA board like every clock, and left out of the monthly assessment, which holds the
-- regulation's limits (src/domain/sla/limits.ts OTHER_POLICIES).
INSERT INTO sla_policies
  (code, kind, area_class, start_event, stop_events, limit_amount, limit_unit, warn_fraction, escalate_every, responsible,
   since_text, awaited_text, action_text, enabled)
VALUES
  ('repair.rework', 'repair', NULL, 'sent_back', '{completed}', 1, 'working_days', 0.75, 1, 'owner',
   '审核退回', '重新处理完毕', '按审核意见重新处理后发送 /完成 {no} 处理结果', true);

INSERT INTO sla_policies
  (code, kind, area_class, start_event, stop_events, limit_amount, limit_unit, warn_fraction, escalate_every, responsible,
   since_text, awaited_text, action_text, enabled)
SELECT kind || '.review', kind, NULL, 'completed', '{approved,sent_back}', 1, 'working_days', 0.75, 1, 'desk',
  '提交审核', '审核', '请审核：/审核 {no} 通过 或 /审核 {no} 退回 原因', true
FROM unnest(ARRAY['repair', 'complaint', 'report', 'suggestion', 'praise']) AS kind;
