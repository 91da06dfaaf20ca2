import type Router from '@koa/router';
import { readFile } from 'node:fs/promises';

const TYPES = { js: 'application/javascript', css: 'text/css' } as const;

/**
 * Serves a plain page from `src/console/static/`: `/<name>` is `<name>.html`, and `/<name>/static/<name>.js|.css`
 * its script and style. Nothing else in the folder is reachable.
 */
export function staticPage(root: Router, name: string): void {
  const file = (ext: string) => new URL(`./static/${name}.${ext}`, import.meta.url);
  root.get(`/${name}`, async (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('cache-control', 'no-store');
    ctx.body = await readFile(file('html'), 'utf8');
  });
  root.get(`/${name}/static/:file`, async (ctx) => {
    const ext = Object.keys(TYPES).find((type) => ctx.params.file === `${name}.${type}`) as keyof typeof TYPES | undefined;
    if (!ext) return;
    ctx.type = `${TYPES[ext]}; charset=utf-8`;
    ctx.body = await readFile(file(ext), 'utf8');
  });
}
