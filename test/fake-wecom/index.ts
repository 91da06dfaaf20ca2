export { FakeWeCom } from './server';
export type { FakeWeComOptions, BotAccount } from './settings';
export { DEMO_BOT, DEFAULT_BOT_NAME } from './settings';
export type { TranscriptEntry, TranscriptKind } from './transcript';
export type { TemplateCardState } from './state';
export type { RecordedFrame } from './connection';
export type { DropOptions } from './faults';
export { ERR } from './errors';
