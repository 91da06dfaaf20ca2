export { deadlineOnStart, handleTicketEvent, type ClockDeps, type TicketLimit, type TicketEventNotice } from './clocks';
export { deadlineFor, overdueNowByUnit, slaRecordByUnit, type UnitOverdue, type UnitRecord } from './overdue';
export { runningClocks, type RunningClock } from './running';
