/**
 * Test helpers that talk to the fake the way a bot does: the real SDK over a real socket, or a bare WebSocket
 * for frames the SDK would never send.
 */
import { WSClient, type WSClientOptions, type WsFrame } from '@wecom/aibot-node-sdk';
import { WebSocket } from 'ws';
import type { FakeWeCom } from '../../fake-wecom/server';

export const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** An SDK client with test-friendly timings; resolves once it has subscribed. */
export async function connectBot(
  fake: FakeWeCom,
  opts: Partial<WSClientOptions> & { botId: string; secret: string },
): Promise<WSClient> {
  const client = new WSClient({ wsUrl: fake.wsUrl, logger: silentLogger, reconnectInterval: 50, ...opts });
  const ready = new Promise<void>((resolve) => client.once('authenticated', () => resolve()));
  client.connect();
  await ready;
  return client;
}

/** The next frame the SDK emits for `event` (e.g. 'message.text', 'event.template_card_event'). */
export function nextFrame(client: WSClient, event: 'message.text' | 'event.template_card_event' | 'event.enter_chat' | 'event.disconnected_event'): Promise<WsFrame> {
  return new Promise((resolve) => client.once(event, (frame: WsFrame) => resolve(frame)));
}

/** A bare socket: send any text, collect every frame the fake sends back. */
export async function rawSocket(fake: FakeWeCom): Promise<{
  ws: WebSocket;
  received: any[];
  send(frame: unknown): void;
  reply(reqId: string): Promise<any>;
}> {
  const ws = new WebSocket(fake.wsUrl);
  const received: any[] = [];
  ws.on('message', (data) => received.push(JSON.parse(data.toString())));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return {
    ws,
    received,
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    reply: (reqId) => fake.waitFor(() => received.find((f) => f.headers?.req_id === reqId && f.cmd === undefined)),
  };
}
