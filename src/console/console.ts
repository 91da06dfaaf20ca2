/**
 * `/console`: a read-only page for the desk and the company's leaders — tickets in progress and overdue, one ticket's
 * timeline, and the monthly assessment. It holds no data: the page asks for the admin token once (kept in the browser's
 * sessionStorage) and calls the bearer-protected `/api`, which enforces it. Served in sandbox and production alike.
 */
import type Router from '@koa/router';
import { staticPage } from './static-page';

export function consoleRoutes(root: Router): void {
  staticPage(root, 'console');
}
