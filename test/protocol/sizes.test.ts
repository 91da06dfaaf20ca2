import { describe, expect, it } from 'vitest';
import { byteLength, MAX_BYTES, splitToFit } from '../../src/protocol/sizes';

const HEADING = /^（续上条 \d+\/\d+）\n/;

describe('splitToFit', () => {
  it('leaves a message within the limit alone', () => {
    expect(splitToFit('短消息', MAX_BYTES.markdown)).toEqual(['短消息']);
  });

  it('cuts a long list between lines, each part within the limit, nothing lost, in order', () => {
    const lines = Array.from({ length: 900 }, (_, i) => `- GZ20261130-${String(i).padStart(4, '0')} 城关镇 人民路${i}号 变压器冒烟`);
    const parts = splitToFit(lines.join('\n'), MAX_BYTES.markdown);
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) expect(byteLength(part)).toBeLessThanOrEqual(MAX_BYTES.markdown);
    expect(parts.slice(1).every((p, i) => p.startsWith(`（续上条 ${i + 2}/${parts.length}）\n`))).toBe(true);
    expect(parts.map((p) => p.replace(HEADING, '')).join('\n')).toBe(lines.join('\n'));
  });

  it('cuts a single over-long line between characters, never inside one', () => {
    const line = '电'.repeat(3000) + '😀'.repeat(100);
    const parts = splitToFit(line, MAX_BYTES.webhookText);
    for (const part of parts) expect(byteLength(part)).toBeLessThanOrEqual(MAX_BYTES.webhookText);
    expect(parts.map((p) => p.replace(HEADING, '')).join('')).toBe(line);
  });
});
