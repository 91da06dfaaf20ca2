/**
 * `/console`: the desk's and leaders' pages — the SLA board first, a ticket's timeline, charts, the assessment, the
 * monthly analysis, outages and exports. It holds no data: the page asks for a token once (kept in the tab's
 * sessionStorage) and calls the bearer-protected `/api`, which enforces it. Plain ES modules checked in as source under
 * `static/console/`, and ECharts from node_modules; nothing is built at run time. Served in sandbox and production alike.
 */
import type Router from '@koa/router';
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { staticPage } from './static-page';

const MODULES = new URL('./static/console/', import.meta.url);

export function consoleRoutes(root: Router): void {
  staticPage(root, 'console');
  const modules = readdir(MODULES).then((files) => new Set(files.filter((file) => /^[a-z-]+\.js$/.test(file))));
  root.get('/console/js/:file', async (ctx) => {
    if (!(await modules).has(ctx.params.file!)) return;
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.body = await readFile(new URL(ctx.params.file!, MODULES), 'utf8');
  });
  // The chart library is the heaviest thing a page loads (≈ 700 kB, ≈ 230 kB gzipped): read and compressed once, cached.
  let echarts: Promise<{ raw: Buffer; gzip: Buffer }> | undefined;
  root.get('/console/vendor/echarts.js', async (ctx) => {
    echarts ??= readFile(createRequire(import.meta.url).resolve('echarts/dist/echarts.common.min.js')).then((raw) => ({ raw, gzip: gzipSync(raw) }));
    const { raw, gzip } = await echarts;
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.set('cache-control', 'public, max-age=86400');
    ctx.vary('accept-encoding');
    if (ctx.acceptsEncodings('gzip', 'identity') === 'gzip') {
      ctx.set('content-encoding', 'gzip');
      ctx.body = gzip;
    } else ctx.body = raw;
  });
}
