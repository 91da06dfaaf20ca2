import { afterEach, describe, expect, it } from 'vitest';
import { FakeWeCom } from '../../fake-wecom/index';
import { startTestApp, wecomEnv, type TestApp } from '../support/app';
import { BOT, eventually } from './harness';

let fake: FakeWeCom | undefined;
let app: TestApp | undefined;
afterEach(async () => {
  await app?.stop();
  await fake?.close();
});

/** The checks of /readyz once it answers `status`. */
async function readyz(status: number): Promise<Record<string, boolean> | undefined> {
  const response = await fetch(`${app!.url}/readyz`);
  if (response.status !== status) return undefined;
  return ((await response.json()) as { checks: Record<string, boolean> }).checks;
}

describe('the service with WeCom credentials', () => {
  it('holds the long connection and reports it in /readyz and /metrics', async () => {
    fake = await FakeWeCom.start({ bots: [BOT] });
    app = await startTestApp(wecomEnv(fake, BOT));
    const ready = await eventually(() => readyz(200));
    expect(ready.wecom).toBe(true);
    expect(await (await fetch(`${app.url}/metrics`)).text()).toMatch(/^wecom_connected 1$/m);

    fake.faults.refuseConnections('all');
    fake.faults.dropConnections({ withoutCloseFrame: true });
    const down = await eventually(() => readyz(503));
    expect(down.wecom).toBe(false);
    fake.faults.endOutage();
  });
});
