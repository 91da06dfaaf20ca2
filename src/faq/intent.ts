/**
 * What a message sent as an inquiry (/咨询) really is, when it is not a question the knowledge base answers: a fault at
 * the customer's place (报修), a complaint (投诉), a report of misconduct or theft (举报), a praise (表扬) or a
 * suggestion (建议). Desk staff type what the customer said; "the clerk helped me so much, thank you" is a praise to
 * pass on, "the lights went out at my shop, send someone" a repair to dispatch — neither is answered by an FAQ entry.
 *
 * A reading needs a statement cue and no question about the procedure itself: "how do I complain and how long does it
 * take" is an inquiry the knowledge base answers (faq 投诉 entry), "she shouted at me, I want to complain" is not.
 * Later readings yield to earlier ones: a complaint may close with thanks, a praise may tell of a fault now mended.
 */
export type Reading = 'report' | 'complaint' | 'praise' | 'suggestion' | 'repair';

/** The ticket kind each reading is, as people say it: 转投诉, 像是投诉. */
export const READING_WORDS: Record<Reading, string> = {
  report: '举报',
  complaint: '投诉',
  praise: '表扬',
  suggestion: '建议',
  repair: '报修',
};

/** Asking how, where, how long or through whom: a question about a procedure, which an entry answers. */
const PROCEDURE = /怎么|怎样|如何|咋|哪里|哪儿|在哪|去哪|哪个部门|渠道|方式|途径|流程|多久|多长时间|几天|几个工作日|电话是多少|打什么电话|有没有奖励|有奖励吗/u;
/** Any question at all: a fault told as a question ("why is it off, when will it be back") is an inquiry. */
const QUESTION = /[?？吗么呢]|怎么|怎样|如何|咋|为什么|为啥|什么时候|多久|几点|谁|哪|能不能|可不可以|是不是|要不要|会不会|有没有/u;

interface Cue {
  reading: Reading;
  /** Words that make it this reading. */
  says: RegExp;
  /** Questions that keep it an inquiry. */
  unless: RegExp;
}

const CUES: readonly Cue[] = [
  {
    reading: 'report',
    says: /举报|检举|揭发|吃拿卡要|好处费|收(?:了|过)?(?:好处|红包|回扣|烟)|索要|索贿|私收|乱收费|偷电|窃电|盗电|私拉乱接/u,
    unless: PROCEDURE,
  },
  {
    reading: 'complaint',
    says: /投诉|告(?:她|他|你们|到)|态度(?:太|很|极其|特别|非常|真)?(?:差|恶劣|蛮横|不好|生硬)|骂人|骂我|凶(?:我|得很|巴巴)|甩脸|不耐烦|爱答不理|爱理不理|推诿|推来推去|踢皮球|不作为|不像话|欺负人|讨个说法|要个说法|给个说法|找媒体|曝光/u,
    unless: PROCEDURE,
  },
  {
    reading: 'praise',
    says: /表扬|点赞|锦旗|感谢信|好评|(?:感谢|谢谢|多谢|感激|辛苦)(?:.{0,12})(?:师傅|电工|小伙|姑娘|同志|工作人员|抢修|帮|修好|服务|及时|热心|耐心)|(?:师傅|电工|小伙子?|姑娘|同志|工作人员)(?:.{0,16})(?:感谢|谢谢|多谢|感激|辛苦了|真好|太好了|负责|热心|耐心|尽职)/u,
    unless: PROCEDURE,
  },
  {
    reading: 'suggestion',
    says: /建议|提个意见|提点意见|希望你们|最好能|能不能多(?:设|开|装|安排)|应该多(?:设|开|装|安排)/u,
    unless: PROCEDURE,
  },
  {
    reading: 'repair',
    says: /没电|停电|断电|跳闸|冒烟|冒火|火花|着火|烧(?:了|坏|焦|糊)|断(?:了|落|掉)|漏电|掉(?:地上|下来)|(?:灯|电表|插座|开关)(?:.{0,4})(?:不亮|不走|黑屏|坏了)/u,
    // A fault asked about as a question is an inquiry: why, since when, until when, what to do.
    unless: QUESTION,
  },
];

/** The reading of a message sent as an inquiry, or undefined for a question to answer from the knowledge base. */
export function readInquiry(text: string): Reading | undefined {
  const said = text.normalize('NFKC');
  return CUES.find((cue) => cue.says.test(said) && !cue.unless.test(said))?.reading;
}
