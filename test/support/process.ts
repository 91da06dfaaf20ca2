import { spawn, type ChildProcess } from 'node:child_process';

/** tsx's loader in this very Node: the service is the child itself, so a signal (SIGKILL, SIGSTOP) reaches it, not a wrapper. */
const TSX_LOADER = ['--import', 'tsx'];

export interface ServiceProcess {
  child: ChildProcess;
  output(): string;
  /** Standard output alone (a command-line tool's result). */
  stdout(): string;
  exited: Promise<number | null>;
}

/** Runs `src/main.ts` as `npm start` would (or another entry point, a `npm run` tool), with exactly the given environment (plus PATH). */
export function runService(env: Record<string, string>, command = ['src/main.ts']): ServiceProcess {
  const child = spawn(process.execPath, [...TSX_LOADER, ...command], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, stdout: () => stdout, exited };
}

/** Polls `url` until it answers 200; returns the milliseconds it took. */
export async function waitForOk(url: string, timeoutMs: number, service?: ServiceProcess): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return Date.now() - started;
    if (service && service.child.exitCode !== null) throw new Error(`service exited early:\n${service.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms\n${service?.output() ?? ''}`);
}
