-- Every limit of the regulation held from the event it names to the event that meets it (issue 12).
-- cancel_events: events that end a clock without meeting it (a repair returned as not ours is no arrival; a report
-- linked to a known outage needs no dispatch). A clock ended so counts as neither met nor missed, unless its deadline
-- had already passed: a breach stays on the record of the unit that owed the event.
ALTER TABLE sla_policies ADD COLUMN cancel_events text[] NOT NULL DEFAULT '{}';
-- once: one clock per ticket, from the first start event to the stop event, whatever happens between (a complaint's
-- 5 working days run from the first hand-over to the answer to the customer; a re-dispatch does not restart them).
-- Such a clock follows the ticket's owner, so the unit holding the ticket is the one chased and the one that misses it.
ALTER TABLE sla_policies ADD COLUMN once boolean NOT NULL DEFAULT false;

UPDATE sla_policies SET cancel_events = '{linked}' WHERE code = 'repair.dispatch';
UPDATE sla_policies SET stop_events = '{arrived}', cancel_events = '{returned}' WHERE code LIKE 'repair.arrival.%';
-- 三、一、5 30 分钟内向市公司报告：recorded by /现场 … 已报市公司 (event city_reported); completion without it is no report.
UPDATE sla_policies SET stop_events = '{city_reported}', cancel_events = '{completed}', enabled = true WHERE code = 'repair.city_report';
-- 五、二 one clock from the first hand-over to the answer to the customer; a return does not meet it.
UPDATE sla_policies SET stop_events = '{answered}', once = true, since_text = '首次交办', awaited_text = '答复客户',
  action_text = '抓紧办结（/完成 {no} 处理结果），客服班审核后 /答复 {no} 答复内容'
  WHERE code IN ('complaint.resolve', 'report.resolve');

INSERT INTO sla_policies
  (code, kind, area_class, start_event, stop_events, cancel_events, limit_amount, limit_unit, warn_fraction, escalate_every,
   responsible, since_text, awaited_text, action_text, enabled)
VALUES
  -- 三、一、8 接到退回的故障处理通知单后依照受理程序再次处理：the 5 minutes of dispatch again, from the return
  ('repair.redispatch', 'repair', NULL, 'returned', '{dispatched}', '{}', 5, 'minutes', 0.6, 5, 'desk',
   '退回', '重新派工', '尽快重新派工：/转派 {no} 单位', true),
  -- 三、二、3 退回后由客服中心重新分发：the 30 minutes of the work order again, from the return
  ('complaint.redispatch', 'complaint', NULL, 'returned', '{dispatched}', '{}', 30, 'minutes', 0.8, 15, 'desk',
   '退回', '重新交办', '尽快重新交办：/转派 {no} 部门', true),
  ('report.redispatch', 'report', NULL, 'returned', '{dispatched}', '{}', 30, 'minutes', 0.8, 15, 'desk',
   '退回', '重新交办', '尽快重新交办：/转派 {no} 部门', true),
  ('suggestion.redispatch', 'suggestion', NULL, 'returned', '{dispatched}', '{}', 30, 'minutes', 0.8, 15, 'desk',
   '退回', '重新交办', '尽快重新交办：/转派 {no} 部门', true),
  ('praise.redispatch', 'praise', NULL, 'returned', '{dispatched}', '{}', 30, 'minutes', 0.8, 15, 'desk',
   '退回', '重新交办', '尽快重新交办：/转派 {no} 部门', true),
  -- 三、一、2 a report explained by a known outage or repair is still the desk's until power is back and the customer
  -- told: 4 hours (the regulation names no figure; a fault outage rarely lasts longer without news).
  ('repair.restore', 'repair', NULL, 'linked', '{restored,dispatched}', '{}', 240, 'minutes', 0.75, 60, 'desk',
   '关联停电', '恢复供电并告知客户', '核实停电进展并告知客户；确属新故障请 /派单 {no}', true);

-- Crews name what an area outage cuts: a line, or streets / villages / addresses / transformer areas. A later report
-- is explained by it only inside that scope. Notices published by the desk over whole areas keep scope 'areas'.
ALTER TABLE outages ADD COLUMN scope text NOT NULL DEFAULT 'areas' CHECK (scope IN ('areas', 'line', 'places'));
-- Place names in the form address keys take (src/domain/tickets/open.ts addressKey).
ALTER TABLE outages ADD COLUMN places text[] NOT NULL DEFAULT '{}';
CREATE INDEX tickets_linked_outage ON tickets (linked_outage_id) WHERE state = 'linked';
