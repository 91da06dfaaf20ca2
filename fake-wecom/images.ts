/**
 * Pictures the bot uploads and sends (PROTOCOL.md §1d "The bot can send pictures"): an `image` upload must be a PNG or
 * a JPEG, as WeCom shows only those, and a chat shows the picture it was sent, so a test can look at the bytes.
 */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff]);

/** Why the bytes of an `image` upload are refused, or undefined when they are a PNG or a JPEG. */
export function imageProblem(bytes: Buffer): string | undefined {
  const isPng = bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE);
  const isJpeg = bytes.subarray(0, JPEG_SIGNATURE.length).equals(JPEG_SIGNATURE);
  return isPng || isJpeg ? undefined : 'an image upload must be a PNG or a JPEG';
}

/** The pictures sent into chats, by media_id, as the chat shows them. */
export class SentImages {
  private readonly byId = new Map<string, Buffer>();

  record(mediaId: string, bytes: Buffer): void {
    this.byId.set(mediaId, bytes);
  }

  bytes(mediaId: string): Buffer | undefined {
    return this.byId.get(mediaId);
  }
}
