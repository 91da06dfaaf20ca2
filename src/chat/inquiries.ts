import type { FaqEntry } from '../faq/entry';
import { READING_WORDS, type Reading } from '../faq/intent';
import type { Org } from '../domain/org';
import { OFFER_WINDOW_MINUTES } from '../domain/regulation';
import { repairCommand, type Conversion, type InquiryOutcome } from '../domain/tickets/inquiry';
import type { Ticket, TicketEvent } from '../domain/tickets/session';
import type { TemplateCard } from '../protocol/outbound';
import { KEY } from './cards';
import { clip, questionOpened, repairDispatched, repairKnownFault, repairKnownOutage, when, workOrderOpened } from './format';

/** What the inquiry's people read (咨询): the asker, the desk, and the specialist. */

/** The reply to /咨询. */
export function inquiryReply(org: Org, outcome: InquiryOutcome): string {
  const { ticket } = outcome;
  if (outcome.kind === 'answered') return answerText(org, ticket, outcome.entry);
  if (outcome.kind === 'desk') return questionOpened(org, ticket);
  if (outcome.kind === 'read') return readingReply(org, ticket, outcome.reading);
  return [
    `**${ticket.no}** 知识库中可能相关的问题：`,
    ...outcome.candidates.map((entry, i) => `${i + 1}. ${entry.question}`),
    `请点下方卡片上的编号，或 @我 回复编号（如 \`1\`）查看答复；回复 \`转人工\` 由${org.desk.name}答复。${OFFER_WINDOW_MINUTES} 分钟内未选择的，转${org.desk.name}人工答复。`,
  ].join('\n');
}

/** What each reading is, said to the asker. */
const READING_SENSE: Record<Reading, string> = {
  repair: '客户处的用电故障，需要派人处理',
  complaint: '对服务或工作人员的不满',
  report: '对违规违纪或窃电等行为的举报',
  praise: '对工作人员的感谢',
  suggestion: '对供电服务的建议',
};

/** The typed twin of the card's button: `转投诉`, `转报修` … */
export const convertWord = (reading: Reading) => `转${READING_WORDS[reading]}`;

/**
 * The reply to /咨询 that reads as another kind of ticket: what it sounds like, and one step to open that ticket with
 * the text carried over (the card's button, or the word typed back); the command to type it anew; 转人工 still works.
 */
export function readingReply(org: Org, ticket: Ticket, reading: Reading): string {
  const word = READING_WORDS[reading];
  const command = reading === 'repair' ? repairCommand(ticket) : `/${word} 对象 ${ticket.description.replace(/\s+/g, '，')}${ticket.phone ? ` ${ticket.phone}` : ''}`;
  return [
    `**${ticket.no}** 这条听起来不是咨询，而是**${word}**：${READING_SENSE[reading]}。`,
    `点下方卡片「${convertWord(reading)}」或 @我 回复 \`${convertWord(reading)}\`，即按${word}受理，原话和客户信息带入；按咨询由${org.desk.name}答复请回复 \`转人工\`。`,
    `也可以补全后发送：\`${command}\``,
  ].join('\n');
}

/** After the inquiry became its ticket: the inquiry's number, then what the new ticket's own command would have said. */
export function convertedReply(org: Org, conversion: Conversion, now: Date): string {
  const { inquiry } = conversion;
  let opened: string;
  if (conversion.kind === 'work_order') opened = workOrderOpened(org, conversion.ticket, conversion.route.rule);
  else if (conversion.outcome.kind === 'known_outage') opened = repairKnownOutage(conversion.outcome.ticket, conversion.outcome.outage, now);
  else if (conversion.outcome.kind === 'known_repair') opened = repairKnownFault(org, conversion.outcome.ticket, conversion.outcome.parent, now);
  else opened = repairDispatched(org, conversion.outcome.ticket, conversion.outcome.route.rule, now);
  return `咨询 **${inquiry.no}** ${inquiry.answer}。\n${opened}`;
}

/** The card under a reading: the one tap that opens the ticket it was read as, and 转人工. */
export function readingCard(org: Org, ticket: Ticket, reading: Reading, taskId: string, state: { converted?: string; handedOver?: boolean; note?: string } = {}): TemplateCard {
  const done = state.converted ?? (state.handedOver ? `已转${org.desk.name}人工答复` : undefined);
  return {
    card_type: 'button_interaction',
    task_id: taskId,
    source: { desc: `${org.doc.company} 95598` },
    main_title: { title: `咨询 ${ticket.no} 像是${READING_WORDS[reading]}`, desc: done ?? `点「${convertWord(reading)}」按${READING_WORDS[reading]}受理` },
    sub_title_text: clip(ticket.description, 120),
    ...(state.note ? { quote_area: { title: '提示', quote_text: state.note } } : {}),
    button_list: done
      ? [{ text: state.converted ? '已受理' : '已转人工', style: 2, key: KEY.status }]
      : [
          { text: convertWord(reading), style: 1, key: KEY.convert(reading) },
          { text: '转人工', style: 2, key: KEY.person },
        ],
  };
}

/** Where an offer's card stands: waiting for a pick, answered with one (another may still be picked), or with the desk. */
export type PickState = { picked?: number; handedOver?: boolean; note?: string; closed?: string };

/**
 * The offer's buttons under the candidate list: a tap on a number answers at once, 转人工 hands the inquiry to the
 * desk. The candidates themselves are in the reply above it, which also serves whoever types the number.
 */
export function pickCard(org: Org, ticket: Ticket, candidates: number, taskId: string, state: PickState = {}): TemplateCard {
  const status = state.closed
    ? `${state.closed}，不再选择`
    : state.handedOver
      ? `已转${org.desk.name}人工答复` : state.picked ? `已答复第 ${state.picked} 条，可改选或转人工` : '点编号查看答复';
  return {
    card_type: 'button_interaction',
    task_id: taskId,
    source: { desc: `${org.doc.company} 95598` },
    main_title: { title: `咨询 ${ticket.no} 知识库候选`, desc: status },
    ...(state.note ? { quote_area: { title: '提示', quote_text: state.note } } : {}),
    button_list: state.closed
      ? [{ text: state.closed, style: 2, key: KEY.status }]
      : state.handedOver
      ? [{ text: '已转人工', style: 2, key: KEY.status }]
      : [
          ...Array.from({ length: candidates }, (_, i) => ({ text: `${i + 1}`, style: state.picked === i + 1 ? 2 : 1, key: KEY.pick(i + 1) })),
          { text: '转人工', style: 2, key: KEY.person },
        ],
  };
}

export function answerText(org: Org, ticket: Ticket, entry: { question: string; answer: string }): string {
  return [
    `**${ticket.no}** 知识库答复：`,
    entry.answer,
    `（依据：${entry.question}。答复不对题请回复 \`转人工\` 或联系${org.desk.name}。）`,
  ].join('\n');
}

export function handedOverReply(org: Org, ticket: Ticket): string {
  return `已转人工：咨询 **${ticket.no}** 由${org.desk.name}答复，请稍候。`;
}

/** After /入库: what the knowledge base now holds. */
export function learnedReply(ticket: Ticket, { entry, added }: { entry: FaqEntry; added: 'similar' | 'entry' }): string {
  return added === 'entry'
    ? `已入库：咨询 **${ticket.no}** 的问题和答复已存为知识库条目 ${entry.id}，同类问题机器人将直接答复。`
    : `已入库：「${ticket.description}」已作为条目 ${entry.id}（${entry.question}）的相似问法。`;
}

/** To the desk: an inquiry its asker handed over, or whose candidates nobody picked in time. */
export function handedOverNotice(ticket: Ticket, event: TicketEvent): string {
  const why = (event.data as { lapsed?: boolean }).lapsed ? `${OFFER_WINDOW_MINUTES} 分钟内未选择知识库候选` : '客户要求转人工';
  return `咨询 **${ticket.no}**（${why}）：${ticket.description}\n请答复：\`/答复 ${ticket.no} 内容\`；需专业人员答复请 \`/转专业 ${ticket.no} [时限]\``;
}

/** To the specialist's chat: the inquiry, the customer, the limit the desk set, and how to answer. */
export function referredNotice(org: Org, ticket: Ticket, event: TicketEvent, dueAt: Date | undefined, now: Date): string {
  const customer = [ticket.reporter_name, ticket.phone].filter(Boolean).join(' ');
  return [
    `${org.desk.name} ${event.actor_name} 转来${ticket.topic}咨询 **${ticket.no}**${ticket.area ? `（${ticket.area}）` : ''}：${ticket.description}`,
    ...(customer ? [`客户：${customer}（可三方通话直接答复客户）`] : []),
    `${dueAt ? `请在 ${when(dueAt, now)} 前` : '请尽快'}答复：\`/答复 ${ticket.no} 答复内容\``,
  ].join('\n');
}
