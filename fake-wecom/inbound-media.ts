/**
 * Media in messages people send the bot (PROTOCOL.md §1d, doc 100719): each image or file is served at its own URL,
 * valid 5 minutes, its bytes AES-256-CBC encrypted with a key unique to that URL (`aeskey`, base64 of 32 bytes), the IV
 * the key's first 16 bytes, PKCS#7-padded to 32-byte blocks. The SDK's `downloadFile(url, aeskey)` fetches and decrypts.
 */
import { createCipheriv, randomBytes } from 'node:crypto';

interface Served {
  bytes: Buffer;
  issuedAt: number;
}

export class InboundMedia {
  private readonly served = new Map<string, Served>();
  /** Downloads asked for, in order (tests check the bot fetched each within its minutes). */
  readonly fetches: { token: string; at: number; ok: boolean }[] = [];

  constructor(
    private readonly now: () => number,
    private readonly ttlMs: number,
  ) {}

  /** Encrypts `plain` under a fresh key and serves it; returns the URL and the key as a message carries them. */
  issue(base: string, plain: Buffer, expired = false): { url: string; aeskey: string } {
    const key = randomBytes(32);
    const token = randomBytes(12).toString('hex');
    this.served.set(token, { bytes: encrypt(plain, key), issuedAt: expired ? this.now() - this.ttlMs - 1 : this.now() });
    return { url: `${base}/cgi-bin/media/${token}`, aeskey: key.toString('base64') };
  }

  /** The encrypted bytes, or why not: unknown, or past its 5 minutes. */
  fetch(token: string): { bytes: Buffer } | { status: number; reason: string } {
    const item = this.served.get(token);
    const expired = item !== undefined && this.now() - item.issuedAt > this.ttlMs;
    this.fetches.push({ token, at: this.now(), ok: item !== undefined && !expired });
    if (!item) return { status: 404, reason: 'media not found' };
    // What WeCom answers for an expired URL is not documented; a 403 with a reason stands in for it.
    if (expired) return { status: 403, reason: 'media url expired' };
    return { bytes: item.bytes };
  }
}

/** AES-256-CBC, IV = first 16 key bytes, PKCS#7 to a multiple of 32 bytes (as doc 100719 says). */
export function encrypt(plain: Buffer, key: Buffer): Buffer {
  const pad = 32 - (plain.length % 32);
  const padded = Buffer.concat([plain, Buffer.alloc(pad, pad)]);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]);
}
