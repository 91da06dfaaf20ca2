import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOG_CAPTIONS } from '../../src/domain/ops/log-captions';

/** Every warning and error message the service writes as a literal, read from its sources. */
async function loggedMessages(): Promise<Set<string>> {
  const roots = ['src', 'jobs'];
  const messages = new Set<string>();
  const call = /\.(?:warn|error|fatal)\((?:[^;]*?,\s*)?'((?:[^'\\]|\\.)+)'\s*,?\s*\)/gs;
  for (const root of roots) {
    for (const file of await readdir(root, { recursive: true })) {
      if (!file.endsWith('.ts')) continue;
      for (const match of (await readFile(join(root, file), 'utf8')).matchAll(call)) messages.add(match[1]!.replace(/\\(.)/g, '$1'));
    }
  }
  return messages;
}

describe('the captions of the weekly log summary', () => {
  it('say in Chinese what every warning and error the service logs means', async () => {
    const messages = await loggedMessages();
    expect(messages.size).toBeGreaterThan(30);
    expect([...messages].filter((message) => !LOG_CAPTIONS[message])).toEqual([]);
  });

  it('caption nothing the service no longer logs', async () => {
    const messages = await loggedMessages();
    expect(Object.keys(LOG_CAPTIONS).filter((message) => !messages.has(message))).toEqual([]);
  });
});
