/**
 * Text a person can type (or a phone keyboard can garble) that PostgreSQL refuses: NUL in text and jsonb, and lone
 * UTF-16 surrogates in jsonb. Such a frame would fail its inbox insert and the person would get no answer at all, so
 * every string of a frame, keys included, is made storable before anything reads or records it. Control characters
 * (BEL, ESC, …) and bidirectional overrides (U+202E turns 123 into 321 on screen) go too: nothing a person types needs
 * them, and every field shown later (an address on a card, a reason in a timeline, a log line) would carry them.
 */
const NUL = /\u0000/g;
const INVISIBLE = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** NUL and invisible controls removed, each lone surrogate replaced by U+FFFD (what a UTF-8 decoder shows for a broken character). */
export function storableText(text: string): string {
  return text.replace(NUL, '').replace(INVISIBLE, '').replace(LONE_SURROGATE, '\uFFFD');
}

/** A JSON value with every string (and key) made storable; the same value when nothing needed changing. */
export function storableFrame(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(storableFrame);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [storableText(key), storableFrame(item)]));
  }
  return value;
}
