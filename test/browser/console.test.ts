import ExcelJS from 'exceljs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE_MS } from '../../src/clock';
import { frozenClock, TEST_ADMIN_TOKEN } from '../support/app';
import { Chats } from '../tickets/chats';
import { CHAT, numberIn } from '../tickets/desk';
import { launchChromium } from './chromium';

/**
 * The console as a leader uses it, on a laptop and on a phone: a repair left unattended for three hours sits at the top
 * of the board, 2 小时 15 分 past its 45-minute arrival limit; its timeline shows the nags; the tickets and the
 * assessment export as CSV and XLSX; the trend chart counts the month's tickets. Screenshots and page weights go to
 * test-artifacts/.
 */
const ARTIFACTS = 'test-artifacts';
const WAIT_MS = 15_000;
const PHONE = { width: 390, height: 844 };

let chats: Chats;
let browser: Browser;
let late: string;
const weights: Record<string, number> = {};

async function passes(minutes: number): Promise<void> {
  chats.clock.advance(minutes * MINUTE_MS);
  await chats.app.jobs.services.sla.sweep();
}

beforeAll(async () => {
  [chats, browser] = await Promise.all([Chats.open({}, frozenClock(new Date('2026-11-24T10:00:00+08:00'))), launchChromium()]);
  await mkdir(ARTIFACTS, { recursive: true });
  late = numberIn(await chats.say('wangfang', CHAT.desk, '/报修 城关镇 人民路12号 农贸市场对面 变压器冒烟 张三 13800000000'));
  await passes(2);
  await chats.say('zhangwei', CHAT.khzx, `/接单 ${late}`);
  await passes(148);
  // A second fault, reported 2½ hours later: due within the hour when the board is read.
  await chats.say('wangfang', CHAT.desk, '/报修 城关镇 解放路8号 邮局旁边 电线杆倾斜 李四 13900000000');
  await passes(30);
}, 120_000);
afterAll(async () => {
  await writeFile(`${ARTIFACTS}/console-page-weights.json`, JSON.stringify(weights, null, 2) + '\n');
  await browser?.close();
  await chats?.close();
});

/** Bytes the page transferred since it loaded: the document, scripts, styles, fonts and API answers. */
function transferred(page: Page): Promise<number> {
  return page.evaluate(() =>
    (performance.getEntriesByType('navigation') as PerformanceResourceTiming[])
      .concat(performance.getEntriesByType('resource') as PerformanceResourceTiming[])
      .reduce((sum, entry) => sum + entry.transferSize, 0),
  );
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${chats.app.url}/console`);
  await page.locator('#token').fill(TEST_ADMIN_TOKEN);
  await page.locator('#login button[type=submit]').click();
  await page.locator('#board .item').first().waitFor({ timeout: WAIT_MS });
}

/** Opens a page by its hash in a fresh load, so its weight is its own; waits for `ready`. */
async function visit(page: Page, name: string, ready: string): Promise<void> {
  await page.goto('about:blank'); // else a change of hash alone keeps the document and its tally
  await page.goto(`${chats.app.url}/console#/${name}`);
  await page.locator(ready).first().waitFor({ timeout: WAIT_MS });
  await page.waitForLoadState('networkidle');
}

describe('the console in a browser', () => {
  it('shows the overdue repair first, its timeline, exports that read back, and a chart with the month’s numbers', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
    const page = await context.newPage();
    await signIn(page);

    const first = page.locator('#board .group').first();
    expect(await first.getAttribute('data-urgency')).toBe('overdue');
    const top = first.locator('.item').first();
    expect(await top.locator('.no').innerText()).toBe(late);
    expect(await top.locator('.limit').innerText()).toBe('到达现场（派工起 45 分钟）');
    expect(await top.locator('.countdown').innerText()).toBe('超时 2 小时 15 分');
    expect(await top.locator('.who').innerText()).toContain('客户中心');
    await expect.poll(() => page.locator('#board .group[data-urgency="hour"] .item').count()).toBe(1);
    await page.waitForLoadState('networkidle');
    weights.board = await transferred(page);
    await page.screenshot({ path: `${ARTIFACTS}/console-board.png`, fullPage: true });

    await top.click();
    await page.locator('#timeline li').first().waitFor({ timeout: WAIT_MS });
    const timeline = await page.locator('#timeline').innerText();
    expect(timeline).toContain('已接单');
    expect(timeline).toMatch(/超时催办/);
    expect(await page.locator('#clocks').innerText()).toMatch(/到达现场[\s\S]*超时/);
    await page.screenshot({ path: `${ARTIFACTS}/console-ticket.png`, fullPage: true });
    await visit(page, `ticket/${late}`, '#timeline li');
    weights.ticket = await transferred(page);

    // Exports of the tickets, read back: CSV with a BOM and the Chinese header, XLSX with the same rows.
    await visit(page, 'tickets', '#tickets .item');
    weights.tickets = await transferred(page);
    await page.screenshot({ path: `${ARTIFACTS}/console-tickets.png`, fullPage: true });
    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('#ticket-filters [data-format=csv]').click()]);
    expect(csv.suggestedFilename()).toBe('工单_2026-11.csv');
    const csvText = await readFile((await csv.path())!, 'utf8');
    expect(csvText.startsWith('\uFEFF单号,类型,状态,责任单位')).toBe(true);
    expect(csvText).toContain(`${late},故障报修,已接单,客户中心,城关镇`);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.locator('#ticket-filters [data-format=xlsx]').click()]);
    expect(xlsx.suggestedFilename()).toBe('工单_2026-11.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile((await xlsx.path())!);
    const sheet = book.worksheets[0]!;
    expect(sheet.rowCount).toBe(3);
    expect(sheet.getRow(3).getCell(1).value).toBe(late);

    // The assessment of November exports its figures as numbers.
    await visit(page, 'assessment', '#assessment .row');
    await page.locator('input[name=month]').fill('2026-11');
    await page.locator('input[name=month]').dispatchEvent('change');
    await page.locator('#assessment .row[data-unit="khzx"] .grade').filter({ hasText: '不合格' }).waitFor({ timeout: WAIT_MS });
    weights.assessment = await transferred(page);
    await page.locator('#assessment .row[data-unit="khzx"]').click();
    await page.locator('#drill .item', { hasText: late }).waitFor({ timeout: WAIT_MS });
    await page.screenshot({ path: `${ARTIFACTS}/console-assessment.png`, fullPage: true });
    const [report] = await Promise.all([page.waitForEvent('download'), page.locator('[data-format=xlsx]').click()]);
    expect(report.suggestedFilename()).toBe('月度考核_2026-11.xlsx');
    const assessment = new ExcelJS.Workbook();
    await assessment.xlsx.readFile((await report.path())!);
    const rows = assessment.worksheets[0]!.getSheetValues() as unknown[][];
    const header = rows[1]!;
    const centre = rows.find((row) => row?.[1] === '客户中心')!;
    const column = (name: RegExp) => header.findIndex((cell) => typeof cell === 'string' && name.test(cell));
    expect(centre[column(/^到达现场/)]).toBe(0); // the first repair's arrival: missed
    expect(typeof centre[column(/^得分$/)]).toBe('number');

    // The trend chart for November: two repairs opened; met: both dispatches and the first one's acceptance; missed:
    // the first one's arrival and the second one's acceptance (5 minutes, nobody took it).
    await visit(page, 'charts', '#chart-trend canvas');
    await page.locator('input[name=month]').fill('2026-11');
    await page.locator('input[name=month]').dispatchEvent('change');
    await expect
      .poll(() =>
        page.evaluate(() => {
          const chart = (window as unknown as { echarts: { getInstanceByDom(el: Element): { getOption(): { series: { data: number[] }[] } } } }).echarts.getInstanceByDom(document.getElementById('chart-trend')!);
          return chart?.getOption().series.map((s) => s.data.at(-1));
        }),
      { timeout: WAIT_MS })
      .toEqual([2, 3, 2]);
    weights.charts = await transferred(page);
    await page.screenshot({ path: `${ARTIFACTS}/console-charts.png`, fullPage: true });

    await visit(page, 'analysis', '#analysis .kpis');
    weights.analysis = await transferred(page);
    await page.screenshot({ path: `${ARTIFACTS}/console-analysis.png`, fullPage: true });
    await visit(page, 'outages', '#outages');
    weights.outages = await transferred(page);
    await page.screenshot({ path: `${ARTIFACTS}/console-outages.png`, fullPage: true });
    await context.close();
  }, 90_000);

  it('fits a 390 × 844 phone: the board and every page without horizontal scroll, tap targets at least 44 px', async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await signIn(page);
    expect(await page.locator('#board .group').first().locator('.item .no').first().innerText()).toBe(late);
    for (const [name, ready] of [
      ['board', '#board .item'],
      [`ticket/${late}`, '#timeline li'],
      ['tickets', '#tickets .item'],
      ['charts', '#chart-trend canvas'],
      ['assessment', '#assessment .row'],
      ['analysis', '#analysis .kpis'],
      ['outages', '#outages'],
    ] as const) {
      await visit(page, name, ready);
      const { scrollWidth, small } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        small: Array.from(document.querySelectorAll('button, a, select, input'))
          .filter((el) => (el as HTMLElement).offsetParent !== null)
          .map((el) => ({ text: (el as HTMLElement).innerText || el.getAttribute('name'), h: el.getBoundingClientRect().height }))
          .filter((el) => el.h < 44),
      }));
      expect(scrollWidth, name).toBeLessThanOrEqual(PHONE.width);
      expect(small, name).toEqual([]);
      await page.screenshot({ path: `${ARTIFACTS}/console-phone-${name.split('/')[0]}.png`, fullPage: true });
      if (name === 'charts') await phoneCharts(page);
    }
    await context.close();
  }, 90_000);

  /**
   * Each chart at a phone's width, one screenshot each: the per-unit chart shows one limit (picked above it), so its
   * bars can be read, and no chart has a legend that pages.
   */
  async function phoneCharts(page: Page): Promise<void> {
    await page.locator('input[name=month]').fill('2026-11');
    await page.locator('input[name=month]').dispatchEvent('change');
    await page.locator('.charts[data-month="2026-11"]').waitFor({ timeout: WAIT_MS });
    const options = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.chart')).map((box) => {
        const option = (window as unknown as { echarts: { getInstanceByDom(el: Element): { getOption(): Record<string, unknown> } } }).echarts
          .getInstanceByDom(box)
          .getOption() as { series: unknown[]; legend?: { type?: string }[] };
        return { id: box.id, series: option.series.length, legendTypes: (option.legend ?? []).map((l) => l.type) };
      }),
    );
    expect(options.find((o) => o.id === 'chart-units')?.series).toBe(1);
    expect(options.flatMap((o) => o.legendTypes)).not.toContain('scroll');
    expect(await page.locator('select[name=limit] option').count()).toBeGreaterThan(1);
    for (const { id } of options) await page.locator(`#${id}`).screenshot({ path: `${ARTIFACTS}/console-phone-${id}.png` });
  }

  it('tells the admin which chats have no group robot, since nobody there can be woken by an @', async () => {
    const headers = { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const { org } = (await (await fetch(`${chats.app.url}/api/org`, { headers })).json()) as { org: { units: { id: string; webhookKey?: string }[] } };
    const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    const page = await context.newPage();
    await signIn(page);
    await page.locator('#board').waitFor();
    expect(await page.locator('#webhooks').isHidden()).toBe(true);

    delete org.units.find((unit) => unit.id === 'nanxi')!.webhookKey;
    expect((await fetch(`${chats.app.url}/api/org`, { method: 'PUT', headers, body: JSON.stringify(org) })).status).toBe(200);
    await page.reload();
    await page.locator('#webhooks').waitFor({ state: 'visible', timeout: WAIT_MS });
    expect(await page.locator('#webhooks').innerText()).toMatch(/以下群未配置群机器人.*：南溪供电所。/);
    await context.close();
  }, 60_000);
});
