/**
 * Bodies of the callbacks WeCom sends a bot (docs/wecom-protocol.md "Long connection", "Callback bodies"): messages,
 * taps, enter_chat and the takeover notice, with the ids WeCom would give them.
 */
import { randomBytes } from 'node:crypto';
import type { CallbackFrame, EventCallbackBody, MessageCallbackBody } from './schemas';
import type { ChatType } from './state';

/** Hex only, so a callback req_id can never start with "ping" or "aibot_subscribe" (the SDK would swallow its acks). */
export const newCallbackReqId = (): string => randomBytes(16).toString('hex');
export const newMsgId = (): string => `CAIQ${randomBytes(18).toString('base64url')}`;

export type CallbackBody = CallbackFrame['body'];

/** Who did something where; group bodies carry `chatid`, 1:1 bodies do not. */
export interface Origin {
  botId: string;
  chatId: string;
  chatType: ChatType;
  userId: string;
  /** Seconds. */
  createTime: number;
  responseUrl?: string;
}

function envelope(o: Origin) {
  return {
    aibotid: o.botId,
    ...(o.chatType === 'group' && { chatid: o.chatId }),
    chattype: o.chatType,
    from: { userid: o.userId },
    create_time: o.createTime,
    ...(o.responseUrl && { response_url: o.responseUrl }),
  };
}

export function textMessage(o: Origin, msgId: string, content: string): MessageCallbackBody {
  return { msgid: msgId, ...envelope(o), msgtype: 'text', text: { content } };
}

/** A message of any type people can send: `mixed`, `image`, `voice`, `file`, or text with a `quote`. */
export function message(o: Origin, msgId: string, payload: Record<string, unknown> & { msgtype: string }): MessageCallbackBody {
  return { msgid: msgId, ...envelope(o), ...payload } as MessageCallbackBody;
}

export function enterChatEvent(o: Origin): EventCallbackBody {
  return { msgid: newMsgId(), ...envelope(o), msgtype: 'event', event: { eventtype: 'enter_chat' } };
}

/** The nested form (`event.template_card_event`) the doc and field reports agree on, not the SDK's flat type. */
export function templateCardEvent(
  o: Origin,
  tap: { cardType: string; eventKey: string; taskId: string; selectedItems?: { question_key: string; option_ids: string[] }[] },
): EventCallbackBody {
  const selected = tap.selectedItems && {
    selected_items: {
      selected_item: tap.selectedItems.map((s) => ({ question_key: s.question_key, option_ids: { option_id: s.option_ids } })),
    },
  };
  return {
    msgid: newMsgId(),
    ...envelope(o),
    msgtype: 'event',
    event: {
      eventtype: 'template_card_event',
      template_card_event: { card_type: tap.cardType, event_key: tap.eventKey, task_id: tap.taskId, ...selected },
    },
  };
}

/** Sent to the old connection when a newer one subscribes the same bot: no `from`, no chat. */
export function disconnectedEvent(botId: string, createTime: number): EventCallbackBody {
  return { msgid: newMsgId(), create_time: createTime, aibotid: botId, msgtype: 'event', event: { eventtype: 'disconnected_event' } };
}
