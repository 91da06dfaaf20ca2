/**
 * Text a person can type (or a phone keyboard can garble) that PostgreSQL refuses: NUL in text and jsonb, and lone
 * UTF-16 surrogates in jsonb. Such a frame would fail its inbox insert and the person would get no answer at all, so
 * every string of a frame, keys included, is made storable before anything reads or records it.
 */
const NUL = /\u0000/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** NUL removed, each lone surrogate replaced by U+FFFD (what a UTF-8 decoder shows for a broken character). */
export function storableText(text: string): string {
  return text.replace(NUL, '').replace(LONE_SURROGATE, '\uFFFD');
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
