import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app';
import { launchChromium } from './chromium';

interface Directory {
  groups: { chatId: string; name: string; kind: string; members: string[] }[];
  people: { userId: string; name: string }[];
}

const TICKET_NO = /[A-Z]{2}\d{8}-\d{4}/g;
const WAIT_MS = 15_000;

/** Waits (polling the page, never a fixed sleep) until the locator's text matches; returns the text. */
async function textMatching(locator: Locator, pattern: RegExp, timeout = WAIT_MS): Promise<string> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = await locator.innerText().catch(() => '');
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`text never matched ${pattern}; last seen:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the sandbox in a browser', () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let directory: Directory;
  const pane = (chatId: string) => page.locator(`.pane[data-chat="${chatId}"]`);
  const nameOf = (userId: string) => directory.people.find((p) => p.userId === userId)?.name ?? userId;

  async function say(chatId: string, text: string): Promise<void> {
    await pane(chatId).locator('input[name="text"]').fill(text);
    await pane(chatId).locator('button.send').click();
  }

  /** The ticket numbers the bot has shown in a chat so far. */
  async function ticketNumbers(chatId: string): Promise<string[]> {
    const text = await pane(chatId).locator('.msg.from-bot').allInnerTexts();
    return [...new Set(text.join('\n').match(TICKET_NO) ?? [])];
  }

  async function newTicketIn(chatId: string, before: string[]): Promise<string> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const fresh = (await ticketNumbers(chatId)).filter((no) => !before.includes(no));
      if (fresh[0]) return fresh[0];
      if (Date.now() > deadline) throw new Error(`no new ticket number in ${chatId}:\n${await pane(chatId).innerText()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestApp(), launchChromium()]);
    directory = (await (await fetch(`${app.url}/sandbox/api/directory`)).json()) as Directory;
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
    await page.goto(`${app.url}/sandbox`);
    await page.locator('#bot-status.online').waitFor({ timeout: WAIT_MS });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('desk reports, crew accepts with a tap, and an unanswered repair is nagged with an @mention once time passes', async () => {
    const desk = directory.groups.find((g) => g.kind === 'desk')!;
    const deskMember = desk.members.find((m) => m !== desk.members[0]) ?? desk.members[0]!;

    // As in WeCom, no group gets a push before someone there has @-ed the bot: the tour's first step does that.
    await page.locator('#activate').click();
    for (const group of directory.groups) {
      await textMatching(pane(group.chatId).locator('.msg.from-bot').first(), /客服机器人/);
    }

    // A desk member reports a fault in the desk group.
    await page.selectOption('#who', deskMember);
    await say(desk.chatId, '/报修 城关镇 人民路12号 农贸市场对面 变压器冒烟 张三 13800000000');
    const first = await newTicketIn(desk.chatId, []);

    // The dispatch card appears in the crew group that owns 城关镇.
    const firstCard = page.locator('.pane.kind-crew .card', { hasText: first });
    await firstCard.waitFor({ timeout: WAIT_MS });
    const crewChat = (await firstCard.locator('xpath=ancestor::section[contains(@class, "pane")]').getAttribute('data-chat'))!;
    const crew = directory.groups.find((g) => g.chatId === crewChat)!;
    const crewMember = crew.members[crew.members.length - 1]!;

    // A crew member taps 接单 on the card.
    await page.selectOption('#who', crewMember);
    await firstCard.locator('button', { hasText: '接单' }).click();

    // The card changes for the crew: who accepted, and 接单 is gone.
    await textMatching(firstCard, new RegExp(nameOf(crewMember)));
    await expect.poll(() => firstCard.locator('button', { hasText: '接单' }).count(), { timeout: WAIT_MS }).toBe(0);

    // Back at the desk: the card shows the same to everyone, and the desk group's /查单 says it was accepted.
    await page.selectOption('#who', deskMember);
    await textMatching(firstCard, new RegExp(nameOf(crewMember)));
    expect(await firstCard.locator('button', { hasText: '接单' }).count()).toBe(0);
    await say(desk.chatId, `/查单 ${first}`);
    await textMatching(pane(desk.chatId).locator('.msg.from-bot').last(), new RegExp(`${first}[\\s\\S]*已接单`));

    // Another repair that nobody accepts.
    await say(desk.chatId, '/报修 城关镇 解放路8号 邮局旁边 电线杆倾斜 李四 13900000000');
    const second = await newTicketIn(desk.chatId, [first]);
    await page.locator(`.pane[data-chat="${crewChat}"] .card`, { hasText: second }).waitFor({ timeout: WAIT_MS });
    // The group robot's @ line, naming the ticket: the one message that wakes anyone.
    const nags = pane(crewChat).locator('.msg.from-bot', { hasText: second }).filter({ hasText: /催办|督办/, has: page.locator(".mention") });
    expect(await nags.count()).toBe(0);

    // An hour passes on the sandbox clock: past the 45-minute urban arrival limit.
    const clockBefore = await page.locator('#clock-label').innerText();
    await page.locator('#advance-30m').click();
    await page.locator('#advance-30m').click();
    await textMatching(page.locator('#clock-advanced'), /1 小时/);
    expect(await page.locator('#clock-label').innerText()).not.toBe(clockBefore);

    // The crew group is nagged about the second ticket, its people @-mentioned by the group robot.
    const nag = nags.first();
    await nag.waitFor({ timeout: WAIT_MS });
    const mentioned = await nag.locator('.mention').allInnerTexts();
    expect(mentioned.length).toBeGreaterThan(0);
    expect(mentioned.some((m) => crew.members.some((id) => m === `@${nameOf(id)}`))).toBe(true);

    // The README's picture (docs/sandbox.png): the crew's view, with the unanswered card and its nag in sight.
    if (process.env.SANDBOX_SCREENSHOT) {
      const nagged = directory.people.find((p) => mentioned.includes(`@${p.name}`))!;
      await page.selectOption('#who', nagged.userId);
      await page.locator('.mention.me').first().waitFor({ timeout: WAIT_MS });
      await pane(crewChat)
        .locator('.card', { hasText: second })
        .evaluate((card) => {
          const list = card.closest('.messages')!;
          list.scrollTop += card.getBoundingClientRect().top - list.getBoundingClientRect().top - 8;
        });
      const firstRow = (await pane(desk.chatId).boundingBox())!;
      const clip = { x: 0, y: 0, width: 1600, height: firstRow.y + firstRow.height + 14 };
      await page.screenshot({ path: process.env.SANDBOX_SCREENSHOT, clip });
    }
  }, 60_000);
});
