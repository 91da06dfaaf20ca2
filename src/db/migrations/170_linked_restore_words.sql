-- A report is linked to a known outage or to a repair already open at the same place: the desk's restore reminder
-- names both, not only the outage ("关联停电后已 3 小时…" was wrong for a report linked to an open repair).
-- A wording an administrator changed is left as it is.
UPDATE sla_policies SET since_text = '关联停电或在修故障'
 WHERE code = 'repair.restore' AND since_text = '关联停电';
