-- Connection applications (业扩报装, regulation chapter 5 item 5) are tickets of their own kind: accepted → supply plan
-- replied → acceptance inspection passed → powered on, each step an event the SLA clocks hear.
ALTER TABLE tickets DROP CONSTRAINT tickets_kind_check;
ALTER TABLE tickets ADD CONSTRAINT tickets_kind_check
  CHECK (kind IN ('repair', 'complaint', 'report', 'suggestion', 'praise', 'inquiry', 'query', 'connection'));
ALTER TABLE sla_policies DROP CONSTRAINT sla_policies_kind_check;
ALTER TABLE sla_policies ADD CONSTRAINT sla_policies_kind_check
  CHECK (kind IN ('repair', 'complaint', 'report', 'suggestion', 'praise', 'inquiry', 'query', 'connection'));

-- The class of an application decides its limits: 居民 (residential), or a non-residential supply class.
ALTER TABLE tickets ADD COLUMN connection_class text
  CHECK (connection_class IN ('residential', 'low_voltage', 'hv_single', 'hv_dual'));

-- classes: the application classes a limit applies to, as area_class does for areas; null: every ticket of its kind.
ALTER TABLE sla_policies ADD COLUMN classes text[]
  CHECK (classes IS NULL OR (cardinality(classes) > 0 AND classes <@ '{residential,low_voltage,hv_single,hv_dual}'::text[]));

INSERT INTO sla_policies
  (code, kind, area_class, classes, start_event, stop_events, cancel_events, limit_amount, limit_unit, warn_fraction,
   escalate_every, responsible, since_text, awaited_text, action_text, enabled)
VALUES
  -- 五、五、3 供电方案答复：居民 3、低压 7、高压单电源 15、高压双电源 30 个工作日（自受理申请起）
  ('connection.plan.residential', 'connection', NULL, '{residential}', 'created', '{plan_answered}', '{}', 3, 'working_days',
   0.8, 1, 'owner', '受理报装申请', '答复供电方案', '尽快答复供电方案：/方案答复 {no} 方案要点', true),
  ('connection.plan.low_voltage', 'connection', NULL, '{low_voltage}', 'created', '{plan_answered}', '{}', 7, 'working_days',
   0.8, 1, 'owner', '受理报装申请', '答复供电方案', '尽快答复供电方案：/方案答复 {no} 方案要点', true),
  ('connection.plan.hv_single', 'connection', NULL, '{hv_single}', 'created', '{plan_answered}', '{}', 15, 'working_days',
   0.8, 2, 'owner', '受理报装申请', '答复供电方案', '尽快答复供电方案：/方案答复 {no} 方案要点', true),
  ('connection.plan.hv_dual', 'connection', NULL, '{hv_dual}', 'created', '{plan_answered}', '{}', 30, 'working_days',
   0.8, 3, 'owner', '受理报装申请', '答复供电方案', '尽快答复供电方案：/方案答复 {no} 方案要点', true),
  -- 五、五、1–2 受电装置检验合格并办理相关手续后送电：居民 3、非居民 5 个工作日
  ('connection.power_on.residential', 'connection', NULL, '{residential}', 'inspected', '{powered}', '{}', 3, 'working_days',
   0.8, 1, 'owner', '验收合格', '送电', '尽快装表送电，送电后回复 /送电 {no}', true),
  ('connection.power_on.non_residential', 'connection', NULL, '{low_voltage,hv_single,hv_dual}', 'inspected', '{powered}', '{}',
   5, 'working_days', 0.8, 1, 'owner', '验收合格', '送电', '尽快装表送电，送电后回复 /送电 {no}', true);
