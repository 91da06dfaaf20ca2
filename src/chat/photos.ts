import type { Tx } from '../db/database';
import { DomainError } from '../domain/errors';
import { findTicket } from '../domain/tickets/store';
import { keepPhotos } from '../domain/tickets/photos';
import type { InboundText, MediaFetcher } from '../protocol/inbound';

const TICKET_NO = /\b([A-Z]{2}\d{8}-\d{4,})\b/;

/** The ticket a quoted card or message names, if any. */
export function quotedTicketNo(message: InboundText): string | undefined {
  return message.quoted ? TICKET_NO.exec(message.quoted)?.[1] : undefined;
}

/** The ticket a message names: typed after the command, or quoted. */
export function namedTicketNo(message: InboundText): string | undefined {
  return TICKET_NO.exec(message.text)?.[1] ?? quotedTicketNo(message);
}

export const PHOTO_HOW_TO =
  '收到照片，但不知道是哪张工单的。请发照片时带上指令和单号，例如 `@机器人 /现场 单号 情况` 或 `/完成 单号 结果` 再加照片；也可以引用工单卡片或消息后发照片。';

/**
 * Downloads the message's photos at once (their URLs live 5 minutes) and keeps them with the ticket; says how many were
 * received, and which could not be fetched (expired, network) or kept (size caps), so nothing is dropped silently.
 */
export async function receivePhotos(tx: Tx, media: MediaFetcher | undefined, message: InboundText, no: string): Promise<string> {
  const images = message.images ?? [];
  const ticket = await findTicket(tx, no).catch((error: unknown) => {
    if (error instanceof DomainError) return undefined;
    throw error;
  });
  if (!ticket) return `照片没有保存：找不到工单 ${no}。`;
  const fetched = await Promise.all(
    images.map((image) =>
      media ? media.download(image.url, image.aeskey).then((bytes) => ({ bytes }), () => ({ failed: true as const })) : { failed: true as const },
    ),
  );
  const photos = fetched.flatMap((f) => ('bytes' in f ? [f.bytes] : []));
  const failed = fetched.flatMap((f, i) => ('bytes' in f ? [] : [i + 1]));
  const { kept, refused } = await keepPhotos(tx, ticket.id, photos, { userId: message.userId, msgId: message.msgId, at: message.receivedAt });
  const lines = [`已收到 ${kept} 张照片，已存入工单 ${ticket.no}。`];
  if (failed.length) lines.push(`第 ${failed.join('、')} 张照片下载失败（链接已过期或网络不通），请重新发送。`);
  if (refused.length) lines.push(`未保存：${refused.join('；')}。`);
  return lines.join('\n');
}
