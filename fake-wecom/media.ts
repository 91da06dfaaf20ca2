/**
 * Temporary media upload over the long connection (init → chunks → finish), docs/wecom-protocol.md "Media upload":
 * sessions live 30 min, chunks are ≤ 512 KiB decoded, 0- or 1-based, repeats ignored, md5 checked at finish, media_id
 * lives 3 days.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ERR, fail, ok, type Outcome } from './errors';
import { imageProblem } from './images';
import { SlidingLimiter } from './rate-limit';
import {
  parseBody,
  uploadChunkBodySchema,
  uploadFinishBodySchema,
  uploadInitBodySchema,
  type MEDIA_TYPES,
} from './schemas';

type MediaType = (typeof MEDIA_TYPES)[number];

interface Upload {
  botId: string;
  type: MediaType;
  filename: string;
  totalSize: number;
  totalChunks: number;
  md5?: string;
  startedAt: number;
  chunks: Map<number, Buffer>;
}

export interface StoredMedia {
  mediaId: string;
  botId: string;
  type: MediaType;
  filename: string;
  bytes: Buffer;
  createdAt: number;
}

const SESSION_MS = 30 * 60_000;
const MEDIA_TTL_MS = 3 * 24 * 3_600_000;
const CHUNK_MAX_BYTES = 512 * 1024;

export class MediaStore {
  private readonly uploads = new Map<string, Upload>();
  private readonly media = new Map<string, StoredMedia>();
  private readonly limiter: SlidingLimiter;

  constructor(private readonly now: () => number) {
    this.limiter = new SlidingLimiter(
      [
        { limit: 30, ms: 60_000 },
        { limit: 1000, ms: 3_600_000 },
      ],
      now,
    );
  }

  init(botId: string, body: unknown): Outcome {
    const parsed = parseBody(uploadInitBodySchema, body);
    if ('error' in parsed) return parsed.error;
    if (!this.limiter.take(botId)) return fail(ERR.frequency, 'uploads are limited to 30/min and 1000/h per bot');
    const b = parsed.data;
    const uploadId = randomBytes(16).toString('hex');
    this.uploads.set(uploadId, {
      botId,
      type: b.type,
      filename: b.filename,
      totalSize: b.total_size,
      totalChunks: b.total_chunks,
      md5: b.md5,
      startedAt: this.now(),
      chunks: new Map(),
    });
    return ok({ upload_id: uploadId });
  }

  chunk(botId: string, body: unknown): Outcome {
    const parsed = parseBody(uploadChunkBodySchema, body);
    if ('error' in parsed) return parsed.error;
    const upload = this.session(botId, parsed.data.upload_id);
    if ('errcode' in upload) return upload;
    const { chunk_index: index, base64_data: data } = parsed.data;
    if (index > upload.totalChunks) return fail(ERR.invalidParameter, `chunk_index ${index} beyond total_chunks`);
    const bytes = Buffer.from(data, 'base64');
    if (bytes.length > CHUNK_MAX_BYTES) return fail(ERR.invalidParameter, 'chunk over 512 KiB');
    if (!upload.chunks.has(index)) upload.chunks.set(index, bytes);
    return ok();
  }

  finish(botId: string, body: unknown): Outcome {
    const parsed = parseBody(uploadFinishBodySchema, body);
    if ('error' in parsed) return parsed.error;
    const upload = this.session(botId, parsed.data.upload_id);
    if ('errcode' in upload) return upload;
    const bytes = this.assemble(upload);
    if (!bytes) return fail(ERR.invalidParameter, `missing chunks: got ${upload.chunks.size} of ${upload.totalChunks}`);
    if (bytes.length !== upload.totalSize) return fail(ERR.invalidParameter, 'size differs from total_size');
    if (upload.md5 && createHash('md5').update(bytes).digest('hex') !== upload.md5.toLowerCase()) {
      return fail(ERR.invalidParameter, 'md5 mismatch');
    }
    const notAnImage = upload.type === 'image' ? imageProblem(bytes) : undefined;
    if (notAnImage) return fail(ERR.invalidParameter, notAnImage);
    this.uploads.delete(parsed.data.upload_id);
    const mediaId = `media_${randomBytes(12).toString('hex')}`;
    const createdAt = this.now();
    this.media.set(mediaId, { mediaId, botId, type: upload.type, filename: upload.filename, bytes, createdAt });
    return ok({ type: upload.type, media_id: mediaId, created_at: String(Math.floor(createdAt / 1000)) });
  }

  /** A media_id this bot uploaded within the last 3 days, of the type the message claims. */
  usable(botId: string, mediaId: string, type: string): StoredMedia | undefined {
    const m = this.media.get(mediaId);
    if (!m || m.botId !== botId || m.type !== type || this.now() - m.createdAt > MEDIA_TTL_MS) return undefined;
    return m;
  }

  private session(botId: string, uploadId: string): Upload | Outcome {
    const upload = this.uploads.get(uploadId);
    if (!upload || upload.botId !== botId) return fail(ERR.invalidParameter, 'unknown upload_id');
    if (this.now() - upload.startedAt > SESSION_MS) return fail(ERR.invalidParameter, 'upload session expired');
    return upload;
  }

  /** Chunks may be numbered from 0 (the SDK) or from 1 (the doc example). */
  private assemble(upload: Upload): Buffer | undefined {
    for (const first of [0, 1]) {
      const parts: Buffer[] = [];
      for (let i = first; i < first + upload.totalChunks; i++) {
        const part = upload.chunks.get(i);
        if (!part) break;
        parts.push(part);
      }
      if (parts.length === upload.totalChunks) return Buffer.concat(parts);
    }
    return undefined;
  }
}
