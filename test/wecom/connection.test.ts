import { afterEach, describe, expect, it } from 'vitest';
import { eventually, harness, type Harness } from './harness';

let h: Harness;
afterEach(() => h.close());

describe('the long connection', () => {
  it('replaces a socket whose subscribe WeCom never answers, which the SDK alone would keep forever', async () => {
    h = await harness();
    h.fake.faults.ackDelayMs = 60_000;
    const bot = h.startBot(undefined, { authTimeoutMs: 300 });
    await eventually(() => h.fake.connections().length >= 3, 3000);
    expect(bot.transport.isConnected()).toBe(false);
    expect(bot.logs.some((entry) => entry.msg.includes('did not answer the subscribe'))).toBe(true);

    h.fake.faults.ackDelayMs = 0;
    await eventually(() => bot.transport.isConnected(), 3000);
  });

  it('reconnects by itself after WeCom drops the socket, and sends again', async () => {
    h = await harness();
    const bot = h.startBot();
    await eventually(() => bot.transport.isConnected());
    h.fake.faults.dropConnections({ code: 1001, reason: 'server restart' });
    await eventually(() => !bot.transport.isConnected());
    await eventually(() => bot.transport.isConnected());
    expect(h.fake.connections().filter((c) => c.live)).toHaveLength(1);
  });
});
