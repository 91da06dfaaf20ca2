/**
 * `/console`: a read-only page for the desk and the company's leaders — tickets in progress and overdue, one ticket's
 * timeline, and the monthly assessment. It holds no data: the page asks for the admin token once (kept in the browser's
 * sessionStorage) and calls the bearer-protected `/api`, which enforces it. Served in sandbox and production alike.
 */
import type Router from '@koa/router';
import { readFile } from 'node:fs/promises';

const STATIC = { 'console.js': 'application/javascript', 'console.css': 'text/css' } as const;
const staticFile = (name: string) => new URL(`./static/${name}`, import.meta.url);

export function consoleRoutes(root: Router): void {
  root.get('/console', async (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('cache-control', 'no-store');
    ctx.body = await readFile(staticFile('console.html'), 'utf8');
  });

  root.get('/console/static/:file', async (ctx) => {
    const name = ctx.params.file as keyof typeof STATIC;
    if (!Object.hasOwn(STATIC, name)) return;
    ctx.type = `${STATIC[name]}; charset=utf-8`;
    ctx.body = await readFile(staticFile(name), 'utf8');
  });
}
