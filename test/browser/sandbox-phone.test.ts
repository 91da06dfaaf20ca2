import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app';
import { launchChromium } from './chromium';

const ARTIFACTS = 'test-artifacts';
const WAIT_MS = 15_000;

interface Directory {
  groups: { chatId: string; kind: string; members: string[] }[];
}

describe('the sandbox on a laptop and on a phone', () => {
  let app: TestApp;
  let browser: Browser;
  let directory: Directory;
  const open = async (width: number, height: number): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width, height }, locale: 'zh-CN' });
    await page.goto(`${app.url}/sandbox`);
    await page.locator('#bot-status.online').waitFor({ timeout: WAIT_MS });
    return page;
  };

  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestApp(), launchChromium()]);
    await mkdir(ARTIFACTS, { recursive: true });
    directory = (await (await fetch(`${app.url}/sandbox/api/directory`)).json()) as Directory;
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('at 1366×800, 只看我所在的群 hides the chats the person is not in', async () => {
    const page = await open(1366, 800);
    const desk = directory.groups.find((g) => g.kind === 'desk')!;
    await page.selectOption('#who', desk.members[0]!);
    const visible = () => page.locator('.pane:visible').count();
    const all = await visible();
    expect(all).toBe(directory.groups.length + 1);
    await page.locator('#mine-only').check();
    const mine = directory.groups.filter((g) => g.members.includes(desk.members[0]!)).length + 1;
    await expect.poll(visible).toBe(mine);
    expect(mine).toBeLessThan(all);
    await page.close();
  });

  it('at 390×844: a compact header, one chat at a time with a switcher, no sideways scroll, card buttons a thumb can reach', async () => {
    const page = await open(390, 844);
    const header = await page.locator('header.bar').boundingBox();
    await page.locator('header.bar').screenshot({ path: `${ARTIFACTS}/sandbox-phone-header.png` });
    expect(header!.height).toBeLessThan(100);
    // 工作日 on one line.
    const day = await page.locator('#clock-day').boundingBox();
    expect(day!.height).toBeLessThan(24);
    expect(await page.locator('.pane:visible').count()).toBe(1);
    expect(await page.locator('.pane.kind-desk').isVisible()).toBe(true);

    // The tour's first step (激活: each group @-s the bot once, as real WeCom requires), then a report from the desk;
    // its card, in the crew's chat, picked from the switcher.
    const activated = await fetch(`${app.url}/sandbox/api/activate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(activated.status).toBe(200);
    const desk = directory.groups.find((g) => g.kind === 'desk')!;
    await page.selectOption('#who', desk.members[0]!);
    const deskPane = page.locator('.pane.kind-desk');
    await deskPane.locator('input[name="text"]').fill('/报修 城关镇 人民路12号 农贸市场对面 变压器冒烟 张三 13800000000');
    await deskPane.locator('button.send').click();
    await deskPane.locator('.msg.from-bot', { hasText: '已受理' }).waitFor({ timeout: WAIT_MS });
    const withCard = async () =>
      ((await (await fetch(`${app.url}/sandbox/api/chats`)).json()) as { chats: { chatId: string; entries: { kind: string }[] }[] }).chats.find((c) =>
        c.entries.some((e) => e.kind === 'card'),
      )?.chatId;
    await expect.poll(withCard, { timeout: WAIT_MS }).toBeDefined();
    const crewChat = (await withCard())!;
    await page.selectOption('#chat-pick', crewChat);
    const crewPane = page.locator(`.pane[data-chat="${crewChat}"]`);
    await crewPane.locator('.card').first().waitFor({ timeout: WAIT_MS });
    expect(await page.locator('.pane:visible').count()).toBe(1);
    const button = await crewPane.locator('.card-btn').first().boundingBox();
    expect(button!.height).toBeGreaterThanOrEqual(40);
    expect(button!.x + button!.width).toBeLessThanOrEqual(390);

    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(sideways).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${ARTIFACTS}/sandbox-phone.png` });
    await page.close();
  });
});
