import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake marketing system behaves for the next requests. */
export type MarketingMode = 'ok' | 'slow' | 'fail';

/**
 * A small marketing system on loopback speaking the contract of `MARKETING_API_BASE`: GET /query?topic=&account=
 * answers `{ answer }`, 404 for an account it does not know. `slow` never answers in time; `fail` answers 500.
 */
export class FakeMarketing {
  mode: MarketingMode = 'ok';
  readonly requests: { topic: string | null; account: string | null }[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(bills: Record<string, string>): Promise<FakeMarketing> {
    let fake: FakeMarketing | undefined;
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const topic = url.searchParams.get('topic');
      const account = url.searchParams.get('account');
      fake!.requests.push({ topic, account });
      if (fake!.mode === 'slow') return; // the client's timeout ends it
      if (fake!.mode === 'fail') {
        response.writeHead(500, { 'content-type': 'text/plain' }).end('ORA-00942: table or view does not exist');
        return;
      }
      const bill = url.pathname === '/query' && topic === 'bill' && account ? bills[account] : undefined;
      if (!bill) {
        response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not_found' }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ answer: bill }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake = new FakeMarketing(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return fake;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
