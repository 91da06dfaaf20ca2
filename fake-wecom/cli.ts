/**
 * `npm run fake-wecom`: a local WeCom for running the bot by hand. Port from FAKE_WECOM_PORT (default 3100).
 */
import { DEMO_BOT, FakeWeCom } from './index';

const WEBHOOK_KEY = 'demo-webhook-key';

const fake = await FakeWeCom.start({
  port: Number(process.env.FAKE_WECOM_PORT ?? 3100),
  bots: [DEMO_BOT],
  webhookKeys: [WEBHOOK_KEY],
});

console.log(`fake WeCom listening
  WECOM_WS_URL=${fake.wsUrl}
  WECOM_API_BASE=${fake.apiBase}
  WECOM_BOT_ID=${DEMO_BOT.botId}
  WECOM_BOT_SECRET=${DEMO_BOT.secret}
  webhook: POST ${fake.apiBase}/cgi-bin/webhook/send?key=${WEBHOOK_KEY}`);

const shutdown = (): void => {
  void fake.close().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
