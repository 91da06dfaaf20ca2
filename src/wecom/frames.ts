import { z } from 'zod';
import type { ChatRef, InboundTap, InboundText } from '../protocol/inbound';

/**
 * The callback frames WeCom pushes down the long connection (docs/wecom-protocol.md "Long connection", "Callback
 * bodies"), checked with zod before anything trusts them, and turned into the one internal event type commands and card
 * actions consume. Unknown extra fields are allowed: WeCom and the SDK add fields over time.
 */

/** Frames bigger than this are refused unread: a person's message is a few KB at most. */
export const MAX_CALLBACK_BYTES = 64 * 1024;

const nonEmpty = z.string().min(1);
const from = z.looseObject({ userid: nonEmpty });
const where = {
  msgid: nonEmpty,
  aibotid: nonEmpty.optional(),
  chatid: nonEmpty.optional(),
  chattype: z.enum(['single', 'group']),
  from,
  create_time: z.number().optional(),
};
const text = z.looseObject({ content: z.string() });
/** An image or file: a URL valid 5 minutes and the key its bytes are encrypted with (PROTOCOL.md §1d). */
const media = z.looseObject({ url: nonEmpty, aeskey: nonEmpty.optional() });
const mixed = z.looseObject({
  msg_item: z.array(z.looseObject({ msgtype: nonEmpty, text: text.optional(), image: media.optional() })).min(1),
});
/** What a message quotes: its type and content (text, image, mixed, voice or file). */
const quote = z.looseObject({ msgtype: nonEmpty, text: text.optional(), voice: text.optional(), mixed: mixed.optional() }).optional();

const messageBody = z
  .discriminatedUnion('msgtype', [
    z.looseObject({ ...where, msgtype: z.literal('text'), text, quote }),
    // Voice arrives already transcribed (1:1 only).
    z.looseObject({ ...where, msgtype: z.literal('voice'), voice: text, quote }),
    z.looseObject({ ...where, msgtype: z.literal('mixed'), mixed, quote }),
    z.looseObject({ ...where, msgtype: z.literal('image'), image: media, quote }),
    z.looseObject({ ...where, msgtype: z.enum(['file', 'video']) }),
  ])
  .refine((body) => (body.chattype === 'group') === (body.chatid !== undefined), 'chatid must be present exactly for group chats');

const eventBody = z.looseObject({
  msgid: nonEmpty,
  create_time: z.number(),
  aibotid: nonEmpty.optional(),
  chatid: nonEmpty.optional(),
  chattype: z.enum(['single', 'group']).optional(),
  from: from.optional(),
  msgtype: z.literal('event'),
  event: z.looseObject({
    eventtype: nonEmpty,
    // The nested form WeCom sends; the SDK's own type has these fields one level up, wrongly (docs/wecom-protocol.md
    // "Long connection").
    template_card_event: z.looseObject({ event_key: nonEmpty, task_id: nonEmpty, card_type: z.string().optional() }).optional(),
  }),
});

const reqId = z.looseObject({ req_id: nonEmpty });
const callbackFrame = z.discriminatedUnion('cmd', [
  z.looseObject({ cmd: z.literal('aibot_msg_callback'), headers: reqId, body: messageBody }),
  z.looseObject({ cmd: z.literal('aibot_event_callback'), headers: reqId, body: eventBody }),
]);

/** An inbound event before it has an inbox row. */
export type ReceivedEvent = Omit<InboundText, 'inboxId'> | Omit<InboundTap, 'inboxId'>;

export type RejectReason = 'too_large' | 'invalid';

export type FrameReading =
  | { kind: 'event'; event: ReceivedEvent; dedupeKey: string }
  /**
   * Valid, but nothing a command or card action consumes: welcome and feedback events, media, and types WeCom may
   * add later. `what` is a bounded label (it becomes a metric label); `detail` says what exactly arrived.
   */
  | { kind: 'ignored'; what: string; detail?: string }
  | { kind: 'rejected'; reason: RejectReason; detail: string };

const KNOWN_EVENTS = new Set(['enter_chat', 'feedback_event', 'disconnected_event']);
const KNOWN_MSGTYPES = new Set(['text', 'voice', 'mixed', 'image', 'file', 'video']);

/** Group text starts with "@BotName" (the mention WeCom inserts); commands never need it. */
const LEADING_MENTION = /^\s*@\S+\s*/u;

/** Validates one callback frame and maps it; `receivedAt` is when it reached us. */
export function readCallback(frame: unknown, receivedAt: Date): FrameReading {
  const size = Buffer.byteLength(JSON.stringify(frame) ?? '', 'utf8');
  if (size > MAX_CALLBACK_BYTES) return { kind: 'rejected', reason: 'too_large', detail: `${size} bytes` };

  const parsed = callbackFrame.safeParse(frame);
  if (!parsed.success) return unparsed(frame, parsed.error);
  const { headers, body } = parsed.data;
  // A 1:1 chat is addressed by the person's userid.
  const chat: ChatRef = body.chatid
    ? { chatId: body.chatid, chatType: 'group' }
    : { chatId: body.from?.userid ?? '', chatType: 'single' };

  if (body.msgtype === 'event') {
    const { eventtype, template_card_event: tap } = body.event;
    if (eventtype !== 'template_card_event') {
      return KNOWN_EVENTS.has(eventtype)
        ? { kind: 'ignored', what: eventtype }
        : { kind: 'ignored', what: 'unknown_event', detail: eventtype.slice(0, 100) };
    }
    if (!tap || !body.from) {
      return { kind: 'rejected', reason: 'invalid', detail: 'template_card_event without template_card_event or from' };
    }
    if (body.chattype === 'group' && !body.chatid) return { kind: 'rejected', reason: 'invalid', detail: 'group tap without chatid' };
    return {
      kind: 'event',
      dedupeKey: body.msgid,
      event: {
        kind: 'tap',
        reqId: headers.req_id,
        chat,
        userId: body.from.userid,
        receivedAt,
        eventId: body.msgid,
        taskId: tap.task_id,
        eventKey: tap.event_key,
      },
    };
  }

  const said =
    body.msgtype === 'text'
      ? body.text.content
      : body.msgtype === 'voice'
        ? body.voice.content
        : body.msgtype === 'mixed'
          ? body.mixed.msg_item.map((item) => item.text?.content ?? '').join('')
          : body.msgtype === 'image'
            ? ''
            : undefined;
  const content = chat.chatType === 'group' ? said?.replace(LEADING_MENTION, '') : said;
  const images =
    body.msgtype === 'image'
      ? [body.image]
      : body.msgtype === 'mixed'
        ? body.mixed.msg_item.flatMap((item) => (item.msgtype === 'image' && item.image ? [item.image] : []))
        : [];
  const quote = 'quote' in body ? (body.quote as QuoteBody | undefined) : undefined;
  const quoted = quote ? quotedText(quote) : undefined;
  // A bare "@bot" is answered too: it is how a group is activated for pushes, and the person should see it worked.
  if (content === undefined) return { kind: 'ignored', what: body.msgtype };
  return {
    kind: 'event',
    dedupeKey: body.msgid,
    event: {
      kind: 'text',
      reqId: headers.req_id,
      chat,
      userId: body.from.userid,
      receivedAt,
      msgId: body.msgid,
      text: content.trim(),
      ...(images.length && { images: images.map((i) => ({ url: i.url, ...(i.aeskey && { aeskey: i.aeskey }) })) }),
      ...(quoted !== undefined && { quoted }),
      ...(body.msgtype === 'voice' && { voice: true }),
    },
  };
}

type QuoteBody = NonNullable<z.infer<typeof quote>>;

function quotedText(q: QuoteBody): string {
  return q.text?.content ?? q.voice?.content ?? q.mixed?.msg_item.map((item) => item.text?.content ?? '').join('') ?? '';
}

/** Tells a message type WeCom added after us (ignored) from a broken frame (rejected). */
function unparsed(frame: unknown, error: z.ZodError): FrameReading {
  const msgtype = (frame as { cmd?: unknown; body?: { msgtype?: unknown } } | null)?.body?.msgtype;
  const cmd = (frame as { cmd?: unknown } | null)?.cmd;
  if (cmd === 'aibot_msg_callback' && typeof msgtype === 'string' && msgtype !== '' && !KNOWN_MSGTYPES.has(msgtype)) {
    return { kind: 'ignored', what: 'unknown_msgtype', detail: msgtype.slice(0, 100) };
  }
  return { kind: 'rejected', reason: 'invalid', detail: z.prettifyError(error).replace(/\s*\n\s*/g, ' ').slice(0, 500) };
}
