/**
 * The fake WeCom: `const fake = await FakeWeCom.start({ bots: [{ botId, secret }] })`, point the bot's SDK at
 * `fake.wsUrl` and its HTTP calls at `fake.apiBase`, then play the people with `userSays`/`tap` and read the
 * chats with `transcript`/`card`. Faults live on `fake.faults`.
 */
export { FakeWeCom } from './server';
export type { FakeWeComOptions, BotAccount } from './settings';
export { DEMO_BOT, DEFAULT_BOT_NAME } from './settings';
export type { TranscriptEntry, TranscriptKind } from './transcript';
export type { TemplateCardState } from './state';
export type { RecordedFrame } from './connection';
export type { DropOptions } from './faults';
export { ERR } from './errors';
