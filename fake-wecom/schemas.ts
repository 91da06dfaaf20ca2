/**
 * Zod schemas for every frame and body the fake exchanges, written from docs/wecom-protocol.md. Inbound shapes are
 * checked strictly enough to catch bot bugs; unknown extra fields are allowed because the SDK and WeCom both add fields
 * over time.
 */
import { z } from 'zod';
import { ERR, fail, type Outcome } from './errors';

const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** A string limited in UTF-8 bytes; over-long content is WeCom's 45002, not a plain parameter error. */
const textUpTo = (max: number) =>
  z.string().refine((s) => utf8Bytes(s) <= max, {
    message: `longer than ${max} bytes (UTF-8)`,
    params: { errcode: ERR.contentTooLong.errcode },
  });

/** Parses `value`, or turns the first issue into the errcode WeCom would answer with. */
export function parseBody<S extends z.ZodType>(schema: S, value: unknown): { data: z.output<S> } | { error: Outcome } {
  const result = schema.safeParse(value);
  if (result.success) return { data: result.data };
  const first = result.error.issues[0];
  const errcode = first?.code === 'custom' ? (first.params?.errcode as number | undefined) : undefined;
  const detail = z.prettifyError(result.error).replace(/\s*\n\s*/g, ' ');
  return { error: fail(errcode === ERR.contentTooLong.errcode ? ERR.contentTooLong : ERR.invalidParameter, detail) };
}

// ---------- frame envelope ----------

const reqIdSchema = z.string().min(1).max(256);

/** Any client → server frame: one JSON object with `cmd`, `headers.req_id` and an optional `body`. */
export const clientFrameSchema = z.looseObject({
  cmd: z.string().min(1),
  headers: z.looseObject({ req_id: reqIdSchema }),
  body: z.unknown().optional(),
});

export const subscribeBodySchema = z.looseObject({
  bot_id: z.string().min(1),
  secret: z.string().min(1),
  scene: z.number().optional(),
  plug_version: z.string().optional(),
});

// ---------- template cards (§5, SDK TemplateCard) ----------

const TASK_ID_PATTERN = /^[0-9A-Za-z_\-@]+$/;
const taskIdSchema = z
  .string()
  .regex(TASK_ID_PATTERN, 'task_id may only contain 0-9 A-Z a-z _ - @')
  .refine((s) => utf8Bytes(s) <= 128, 'task_id longer than 128 bytes');
const keySchema = z
  .string()
  .min(1)
  .refine((s) => utf8Bytes(s) <= 1024, 'key longer than 1024 bytes');
const feedbackSchema = z.looseObject({
  id: z
    .string()
    .min(1)
    .refine((s) => utf8Bytes(s) <= 256, 'feedback.id longer than 256 bytes'),
});
const optionSchema = z.looseObject({ id: z.string().min(1), text: z.string() });
const selectionSchema = z.looseObject({
  question_key: keySchema,
  title: z.string().optional(),
  selected_id: z.string().optional(),
  disable: z.boolean().optional(),
  option_list: z.array(optionSchema).min(1).max(10),
});

const CARD_TYPES = [
  'text_notice',
  'news_notice',
  'button_interaction',
  'vote_interaction',
  'multiple_interaction',
] as const;
const INTERACTIVE_CARD_TYPES: readonly string[] = ['button_interaction', 'vote_interaction', 'multiple_interaction'];

/**
 * The fields each card type has (doc 101032 and the SDK's TemplateCard comments: "news_notice 类型卡片使用",
 * "button_interaction 类型卡片使用", …). A field of another type is refused as an invalid parameter, as PROTOCOL.md §7
 * advises a fake to do; real WeCom may refuse or silently drop it.
 */
const COMMON_FIELDS = ['card_type', 'task_id', 'source', 'main_title', 'feedback'];
export const CARD_FIELDS: Record<(typeof CARD_TYPES)[number], readonly string[]> = {
  text_notice: [...COMMON_FIELDS, 'action_menu', 'emphasis_content', 'quote_area', 'sub_title_text', 'horizontal_content_list', 'jump_list', 'card_action'],
  news_notice: [
    ...COMMON_FIELDS,
    'action_menu',
    'card_image',
    'image_text_area',
    'quote_area',
    'vertical_content_list',
    'horizontal_content_list',
    'jump_list',
    'card_action',
  ],
  button_interaction: [
    ...COMMON_FIELDS,
    'action_menu',
    'quote_area',
    'sub_title_text',
    'horizontal_content_list',
    'card_action',
    'button_selection',
    'button_list',
  ],
  vote_interaction: [...COMMON_FIELDS, 'checkbox', 'submit_button'],
  multiple_interaction: [...COMMON_FIELDS, 'select_list', 'submit_button'],
};

export const templateCardSchema = z
  .looseObject({
    card_type: z.enum(CARD_TYPES),
    task_id: taskIdSchema.optional(),
    source: z.looseObject({ desc: z.string().optional(), icon_url: z.string().optional() }).optional(),
    main_title: z.looseObject({ title: z.string().optional(), desc: z.string().optional() }).optional(),
    emphasis_content: z.looseObject({ title: z.string().optional(), desc: z.string().optional() }).optional(),
    quote_area: z.looseObject({ title: z.string().optional(), quote_text: z.string().optional() }).optional(),
    sub_title_text: z.string().optional(),
    horizontal_content_list: z
      .array(z.looseObject({ keyname: z.string(), value: z.string().optional() }))
      .max(6)
      .optional(),
    jump_list: z.array(z.looseObject({ title: z.string() })).max(3).optional(),
    vertical_content_list: z.array(z.looseObject({ title: z.string(), desc: z.string().optional() })).max(4).optional(),
    action_menu: z
      .looseObject({
        desc: z.string(),
        action_list: z.array(z.looseObject({ text: z.string(), key: keySchema })).min(1).max(3),
      })
      .optional(),
    button_selection: selectionSchema.optional(),
    button_list: z
      .array(
        z.looseObject({
          text: z.string().min(1),
          style: z.number().int().min(1).max(4).optional(),
          key: keySchema,
        }),
      )
      .min(1)
      .max(6, 'at most 6 buttons')
      .optional(),
    checkbox: z
      .looseObject({
        question_key: keySchema,
        mode: z.union([z.literal(0), z.literal(1)]).optional(),
        option_list: z.array(optionSchema).min(1).max(20),
      })
      .optional(),
    select_list: z.array(selectionSchema).min(1).max(3).optional(),
    submit_button: z.looseObject({ text: z.string(), key: keySchema }).optional(),
    card_action: z.looseObject({ type: z.number().int().min(0).max(2) }).optional(),
    feedback: feedbackSchema.optional(),
  })
  .superRefine((card, ctx) => {
    const allowed = CARD_FIELDS[card.card_type];
    for (const field of Object.keys(card)) {
      if (!allowed.includes(field)) {
        ctx.addIssue({ code: 'custom', path: [field], message: `${field} is not a field of ${card.card_type} cards` });
      }
    }
    const needsTaskId = INTERACTIVE_CARD_TYPES.includes(card.card_type) || card.action_menu !== undefined;
    if (needsTaskId && card.task_id === undefined) {
      ctx.addIssue({ code: 'custom', path: ['task_id'], message: `task_id is required for ${card.card_type} cards` });
    }
    if (card.card_type === 'button_interaction' && !card.button_list) {
      ctx.addIssue({ code: 'custom', path: ['button_list'], message: 'button_interaction needs button_list' });
    }
    if (card.card_type === 'vote_interaction' && (!card.checkbox || !card.submit_button)) {
      ctx.addIssue({ code: 'custom', path: ['checkbox'], message: 'vote_interaction needs checkbox and submit_button' });
    }
    if (card.card_type === 'multiple_interaction' && (!card.select_list || !card.submit_button)) {
      ctx.addIssue({ code: 'custom', path: ['select_list'], message: 'multiple_interaction needs select_list and submit_button' });
    }
    const keys = (card.button_list ?? []).map((b) => b.key);
    if (new Set(keys).size !== keys.length) {
      ctx.addIssue({ code: 'custom', path: ['button_list'], message: 'button keys must be unique' });
    }
  });
export type TemplateCard = z.output<typeof templateCardSchema>;

// ---------- bot → WeCom bodies (§1d) ----------

const streamSchema = z.looseObject({
  id: z.string().min(1),
  finish: z.boolean().optional(),
  content: textUpTo(20480).optional(),
  msg_item: z
    .array(z.looseObject({ msgtype: z.literal('image'), image: z.looseObject({ base64: z.string(), md5: z.string() }) }))
    .max(10)
    .optional(),
  feedback: feedbackSchema.optional(),
});
export type StreamPayload = z.output<typeof streamSchema>;

const mediaRef = z.looseObject({ media_id: z.string().min(1) });
const markdownSchema = z.looseObject({ content: textUpTo(20480).min(1), feedback: feedbackSchema.optional() });

/** `aibot_respond_msg` bodies by msgtype (plain `text` is not among them). */
export const respondMsgBodies = {
  stream: z.looseObject({ msgtype: z.literal('stream'), stream: streamSchema }),
  stream_with_template_card: z.looseObject({
    msgtype: z.literal('stream_with_template_card'),
    stream: streamSchema,
    template_card: templateCardSchema.optional(),
  }),
  template_card: z.looseObject({ msgtype: z.literal('template_card'), template_card: templateCardSchema }),
  markdown: z.looseObject({ msgtype: z.literal('markdown'), markdown: markdownSchema }),
  file: z.looseObject({ msgtype: z.literal('file'), file: mediaRef }),
  image: z.looseObject({ msgtype: z.literal('image'), image: mediaRef }),
  voice: z.looseObject({ msgtype: z.literal('voice'), voice: mediaRef }),
  video: z.looseObject({
    msgtype: z.literal('video'),
    video: mediaRef.extend({ title: z.string().optional(), description: z.string().optional() }),
  }),
};

/** `aibot_respond_welcome_msg` bodies: text or a card. */
export const welcomeBodies = {
  text: z.looseObject({ msgtype: z.literal('text'), text: z.looseObject({ content: textUpTo(20480).min(1) }) }),
  template_card: respondMsgBodies.template_card,
};

export const updateBodySchema = z.looseObject({
  response_type: z.literal('update_template_card'),
  userids: z.array(z.string().min(1)).min(1).optional(),
  template_card: templateCardSchema,
});

/** `aibot_send_msg` bodies by msgtype; `chatid` and the optional `chat_type` (1 single, 2 group) ride along. */
const pushTarget = { chatid: z.string().min(1), chat_type: z.union([z.literal(1), z.literal(2)]).optional() };
export const sendMsgBodies = {
  markdown: respondMsgBodies.markdown.extend(pushTarget),
  template_card: respondMsgBodies.template_card.extend(pushTarget),
  file: respondMsgBodies.file.extend(pushTarget),
  image: respondMsgBodies.image.extend(pushTarget),
  voice: respondMsgBodies.voice.extend(pushTarget),
  video: respondMsgBodies.video.extend(pushTarget),
};

export const MEDIA_TYPES = ['file', 'image', 'voice', 'video'] as const;
export const uploadInitBodySchema = z.looseObject({
  type: z.enum(MEDIA_TYPES),
  filename: z.string().min(1),
  total_size: z.number().int().positive(),
  total_chunks: z.number().int().min(1).max(100),
  md5: z.string().optional(),
});
export const uploadChunkBodySchema = z.looseObject({
  upload_id: z.string().min(1),
  chunk_index: z.number().int().min(0),
  base64_data: z.string().min(1),
});
export const uploadFinishBodySchema = z.looseObject({ upload_id: z.string().min(1) });

// ---------- WeCom → bot callbacks (checked before sending, so the fake never breaks its own protocol) ----------

/** Callback req_ids must not look like the SDK's own subscribe/ping ids, or the SDK swallows the replies' acks. */
const callbackReqId = reqIdSchema.refine((id) => !id.startsWith('ping') && !id.startsWith('aibot_subscribe'));
const from = z.looseObject({ userid: z.string().min(1), corpid: z.string().optional() });

export const messageCallbackBodySchema = z
  .looseObject({
    msgid: z.string().min(1),
    aibotid: z.string().min(1),
    chatid: z.string().min(1).optional(),
    chattype: z.enum(['single', 'group']),
    from,
    create_time: z.number().int().optional(),
    response_url: z.string().optional(),
    msgtype: z.string().min(1),
    text: z.looseObject({ content: z.string() }).optional(),
  })
  .refine((b) => (b.chattype === 'group') === (b.chatid !== undefined), 'chatid is present exactly for group messages');

export const eventCallbackBodySchema = z.looseObject({
  msgid: z.string().min(1),
  create_time: z.number().int(),
  aibotid: z.string().min(1),
  chatid: z.string().min(1).optional(),
  chattype: z.enum(['single', 'group']).optional(),
  from: from.optional(),
  response_url: z.string().optional(),
  msgtype: z.literal('event'),
  event: z.looseObject({
    eventtype: z.enum(['enter_chat', 'template_card_event', 'feedback_event', 'disconnected_event']),
    template_card_event: z
      .looseObject({ card_type: z.string(), event_key: z.string(), task_id: z.string() })
      .optional(),
  }),
});

export type MessageCallbackBody = z.input<typeof messageCallbackBodySchema>;
export type EventCallbackBody = z.input<typeof eventCallbackBodySchema>;

export const callbackFrameSchema = z.discriminatedUnion('cmd', [
  z.object({ cmd: z.literal('aibot_msg_callback'), headers: z.object({ req_id: callbackReqId }), body: messageCallbackBodySchema }),
  z.object({ cmd: z.literal('aibot_event_callback'), headers: z.object({ req_id: callbackReqId }), body: eventCallbackBodySchema }),
]);
export type CallbackFrame = z.input<typeof callbackFrameSchema>;

// ---------- group robot webhook (§1c, §5) ----------

const webhookCardSchema = templateCardSchema
  .refine(
    (card) => card.card_type === 'text_notice' || card.card_type === 'news_notice',
    'webhook template_card must be text_notice or news_notice',
  )
  .refine((card) => card.card_type !== 'text_notice' || card.card_action !== undefined, 'text_notice needs card_action');

export const webhookBodies = {
  text: z.looseObject({
    msgtype: z.literal('text'),
    text: z.looseObject({
      content: textUpTo(2048).min(1),
      mentioned_list: z.array(z.string()).optional(),
      mentioned_mobile_list: z.array(z.string()).optional(),
    }),
  }),
  markdown: z.looseObject({ msgtype: z.literal('markdown'), markdown: z.looseObject({ content: textUpTo(4096).min(1) }) }),
  markdown_v2: z.looseObject({
    msgtype: z.literal('markdown_v2'),
    markdown_v2: z.looseObject({ content: textUpTo(4096).min(1) }),
  }),
  image: z.looseObject({
    msgtype: z.literal('image'),
    image: z.looseObject({
      base64: z.string().min(1).refine((s) => Buffer.from(s, 'base64').length <= 2 * 1024 * 1024, 'image over 2 MB'),
      md5: z.string().regex(/^[0-9a-f]{32}$/i),
    }),
  }),
  news: z.looseObject({
    msgtype: z.literal('news'),
    news: z.looseObject({
      articles: z
        .array(z.looseObject({ title: z.string().min(1), url: z.string().min(1), description: z.string().optional() }))
        .min(1)
        .max(8),
    }),
  }),
  file: z.looseObject({ msgtype: z.literal('file'), file: mediaRef }),
  voice: z.looseObject({ msgtype: z.literal('voice'), voice: mediaRef }),
  template_card: z.looseObject({ msgtype: z.literal('template_card'), template_card: webhookCardSchema }),
};
