/**
 * WeCom's size limits, in UTF-8 bytes (PROTOCOL.md §1c, §1d): a markdown reply or push of the intelligent bot 20,480;
 * a group robot's text 2,048 and markdown 4,096. A message over its limit is refused whole, so every message is measured
 * before it is queued and a longer one goes as several, in order, each within the limit.
 */
export const MAX_BYTES = { markdown: 20_480, webhookText: 2_048, webhookMarkdown: 4_096 } as const;

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Room kept in each part for its （续 2/3） heading. */
const HEADING_ROOM = 48;

/**
 * `text` as parts of at most `max` bytes: cut between lines where it can, inside a line (between characters, never
 * inside one) only when a single line is too long; every part after the first says which of how many it is.
 */
export function splitToFit(text: string, max: number): string[] {
  if (byteLength(text) <= max) return [text];
  const room = max - HEADING_ROOM;
  const pieces = text.split('\n').flatMap((line) => (byteLength(line) <= room ? [line] : cutLine(line, room)));
  const parts: string[] = [];
  let current: string[] = [];
  let size = 0;
  for (const piece of pieces) {
    const add = byteLength(piece) + (current.length ? 1 : 0);
    if (current.length && size + add > room) {
      parts.push(current.join('\n'));
      current = [];
      size = 0;
    }
    size += byteLength(piece) + (current.length ? 1 : 0);
    current.push(piece);
  }
  if (current.length) parts.push(current.join('\n'));
  return parts.map((part, i) => (i === 0 ? part : `（续上条 ${i + 1}/${parts.length}）\n${part}`));
}

function cutLine(line: string, room: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const char of line) {
    if (byteLength(current + char) > room) {
      out.push(current);
      current = '';
    }
    current += char;
  }
  if (current) out.push(current);
  return out;
}
