import type { Clock } from '../clock';
import type { Db } from '../db/database';
import type { Logger } from '../log';
import type { FakeWeCom } from '../../fake-wecom/index';

type World = ReturnType<FakeWeCom['world']>;

/** How often what the chats show is saved when it changed: a crash loses at most this much of the sandbox's chats. */
const SAVE_EVERY_MS = 2000;

/**
 * Moves the app clock as far ahead as the sandbox had moved it before the restart, before anything reads the clock
 * (jobs, the outbox's rate windows): rows written on the moved clock are then never in the future, so a chat's budget
 * of 30 a minute is not taken for spent and timers fire when they should. Returns how far, in ms.
 */
export async function restoreSandboxClock(db: Db, clock: Clock): Promise<number> {
  const row = await db.selectFrom('sandbox_world').select('value').where('name', '=', 'clock').executeTakeFirst();
  const advancedMs = (row?.value as { advancedMs?: number } | undefined)?.advancedMs ?? 0;
  if (advancedMs > 0) clock.advance(advancedMs);
  return advancedMs;
}

export async function saveSandboxClock(db: Db, advancedMs: number): Promise<void> {
  await upsert(db, 'clock', { advancedMs });
}

/**
 * The sandbox's chats across restarts: what the simulated WeCom showed is put back at start, saved every few seconds
 * while it changes and at shutdown. Its conversation with the bot is not replayed: the bot's own rows are in the database.
 */
export class SandboxChats {
  private timer: NodeJS.Timeout | undefined;
  private savedSignature = '';
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly fake: FakeWeCom,
    private readonly logger: Logger,
  ) {}

  async restore(): Promise<void> {
    const row = await this.db.selectFrom('sandbox_world').select('value').where('name', '=', 'chats').executeTakeFirst();
    if (row) this.fake.restoreWorld(row.value as World);
    this.savedSignature = JSON.stringify(this.fake.world());
  }

  start(): void {
    this.timer = setInterval(() => void this.save(), SAVE_EVERY_MS);
    this.timer.unref();
  }

  /** Saves when something changed since the last save; never rejects (a failed save is tried again next time). */
  save(): Promise<void> {
    this.saving = this.saving.then(async () => {
      const world = this.fake.world();
      const signature = JSON.stringify(world);
      if (signature === this.savedSignature) return;
      try {
        await upsert(this.db, 'chats', world);
        this.savedSignature = signature;
      } catch (error) {
        this.logger.warn({ err: error }, 'could not save the sandbox chats; trying again');
      }
    });
    return this.saving;
  }

  /** Empties every chat (重置沙盒): the page starts over, the saved chats with it. */
  async clear(): Promise<void> {
    this.fake.restoreWorld({ transcript: [], cards: [] });
    await this.save();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.save();
  }
}

async function upsert(db: Db, name: 'clock' | 'chats', value: unknown): Promise<void> {
  await db
    .insertInto('sandbox_world')
    .values({ name, value: JSON.stringify(value) })
    .onConflict((conflict) => conflict.column('name').doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), saved_at: new Date() })))
    .execute();
}
