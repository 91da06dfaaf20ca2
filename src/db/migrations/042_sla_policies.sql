-- The time limits of the 95598 regulation (县公司95598客户服务管理实施办法, chapter 3 and 5), one row each.
-- This file is the one place the numbers live; the desk edits them later through PUT /api/sla-policies.
-- Events are the ticket event types of src/domain/tickets/machine.ts. Minutes run day and night; working days follow
-- the calendar and their nags wait for working hours. Escalation: unit leader one cadence after the breach,
-- company leader two cadences after.
INSERT INTO sla_policies
  (code, kind, area_class, start_event, stop_events, limit_amount, limit_unit, warn_fraction, escalate_every, responsible,
   since_text, awaited_text, action_text, enabled)
VALUES
  -- 三、一、3 新的故障，值班人员在 5 分钟内通知抢修单位
  ('repair.dispatch', 'repair', NULL, 'created', '{dispatched}', 5, 'minutes', 0.6, 5, 'desk',
   '受理', '派工', '尽快派工：/派单 {no}', true),
  -- 三、一、8 不属于管辖范围的，应在 5 分钟内退回（接单即确认属于本单位）
  ('repair.acknowledge', 'repair', NULL, 'dispatched', '{accepted,returned}', 5, 'minutes', 0.6, 5, 'owner',
   '派工', '接单或退回', '确认接单：/接单 {no}；不属本单位请 /退回 {no} 原因', true),
  -- 二、二、4 与 三、一、7 到达现场：城市 45 分钟，农村 90 分钟，特殊边远地区 2 小时
  ('repair.arrival.urban', 'repair', 'urban', 'dispatched', '{arrived,returned}', 45, 'minutes', 0.8, 15, 'owner',
   '派工', '到达现场', '尽快到达并回复 /到达 {no}', true),
  ('repair.arrival.rural', 'repair', 'rural', 'dispatched', '{arrived,returned}', 90, 'minutes', 0.8, 30, 'owner',
   '派工', '到达现场', '尽快到达并回复 /到达 {no}', true),
  ('repair.arrival.remote', 'repair', 'remote', 'dispatched', '{arrived,returned}', 120, 'minutes', 0.8, 30, 'owner',
   '派工', '到达现场', '尽快到达并回复 /到达 {no}', true),
  -- 三、一、5 到达现场后 20 分钟内向县公司客户服务班报告
  ('repair.onsite_report', 'repair', NULL, 'arrived', '{onsite_reported,completed}', 20, 'minutes', 0.75, 10, 'owner',
   '到达现场', '报告现场情况', '回复 /现场 {no} 现场情况', true),
  -- 三、一、5 30 分钟内向市公司 95598 客户服务中心报告. Off until the ticket records that report (event city_reported).
  ('repair.city_report', 'repair', NULL, 'arrived', '{city_reported,completed}', 30, 'minutes', 0.8, 10, 'owner',
   '到达现场', '向市公司95598客户服务中心报告', '向市公司95598客户服务中心值班人员报告现场情况', false),
  -- 三、二、2 30 分钟内制作电子工作单传递到相关职能部门或基层单位
  ('complaint.work_order', 'complaint', NULL, 'created', '{dispatched}', 30, 'minutes', 0.8, 15, 'desk',
   '受理', '交办', '尽快制作工单并交办：/派单 {no}', true),
  ('report.work_order', 'report', NULL, 'created', '{dispatched}', 30, 'minutes', 0.8, 15, 'desk',
   '受理', '交办', '尽快制作工单并交办：/派单 {no}', true),
  ('suggestion.work_order', 'suggestion', NULL, 'created', '{dispatched}', 30, 'minutes', 0.8, 15, 'desk',
   '受理', '交办', '尽快制作工单并交办：/派单 {no}', true),
  ('praise.work_order', 'praise', NULL, 'created', '{dispatched}', 30, 'minutes', 0.8, 15, 'desk',
   '受理', '交办', '尽快制作工单并交办：/派单 {no}', true),
  -- 三、二、3 不属于本单位处理范围的，应于 1 个工作日内退回（受理即确认属于本单位）
  ('complaint.acknowledge', 'complaint', NULL, 'dispatched', '{accepted,returned,completed}', 1, 'working_days', 0.75, 1, 'owner',
   '交办', '受理或退回', '确认受理：/接单 {no}；不属本单位请 /退回 {no} 原因', true),
  ('report.acknowledge', 'report', NULL, 'dispatched', '{accepted,returned,completed}', 1, 'working_days', 0.75, 1, 'owner',
   '交办', '受理或退回', '确认受理：/接单 {no}；不属本单位请 /退回 {no} 原因', true),
  ('suggestion.acknowledge', 'suggestion', NULL, 'dispatched', '{accepted,returned,completed}', 1, 'working_days', 0.75, 1, 'owner',
   '交办', '受理或退回', '确认受理：/接单 {no}；不属本单位请 /退回 {no} 原因', true),
  ('praise.acknowledge', 'praise', NULL, 'dispatched', '{accepted,returned,completed}', 1, 'working_days', 0.75, 1, 'owner',
   '交办', '受理或退回', '确认受理：/接单 {no}；不属本单位请 /退回 {no} 原因', true),
  -- 五、二 受理时限：投诉 5 个工作日，举报 10 个工作日（自工单发出起，二、一、7）
  ('complaint.resolve', 'complaint', NULL, 'dispatched', '{completed,returned}', 5, 'working_days', 0.8, 1, 'owner',
   '交办', '办结', '抓紧办理，办结后回复 /完成 {no} 处理结果', true),
  ('report.resolve', 'report', NULL, 'dispatched', '{completed,returned}', 10, 'working_days', 0.8, 2, 'owner',
   '交办', '办结', '抓紧办理，办结后回复 /完成 {no} 处理结果', true);
