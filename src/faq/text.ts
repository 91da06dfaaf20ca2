import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import { loadNormalizer } from './normalizer';
import { loadVocabulary } from './synonyms';

/**
 * Turns Chinese text into the terms the matcher compares: jieba words (search mode, domain words kept whole,
 * synonyms folded to one form, function words dropped) and characters with character bigrams, which survive typos,
 * words the dictionary splits differently, and shared roots (扣 in both 扣掉 and 自动扣).
 */
export interface Analyzer {
  /** A knowledge-base text as terms. */
  document(text: string): Terms;
  /** A customer's question as terms: as a document, with greetings and openers dropped first. */
  query(text: string): Terms;
  /** Whether a customer's question is about another utility's or office's business. */
  outside(text: string): boolean;
}

export interface Terms {
  words: string[];
  chars: string[];
}

export interface AnalyzerOptions {
  standardize: boolean;
  trim: boolean;
}
const ALL: AnalyzerOptions = { standardize: true, trim: true };

/** Particles, pronouns, greetings and question frames: present in almost every question, they only add noise. */
const STOP_WORDS = new Set(
  (
    '的 地 得 了 着 过 吗 呢 啊 吧 呀 嘛 么 哦 哈 啦 呗 哪 那 这 这个 那个 这种 那种 这样 那样 这边 那边 ' +
    '我 我们 我家 咱 咱们 你 你们 您 他 她 它 他们 她们 自己 人家 ' +
    '是 有 在 和 与 及 或 或者 就 都 也 还 又 再 很 太 好 被 把 给 让 对 从 到 为 向 跟 ' +
    '请问 请 麻烦 你好 您好 在吗 谢谢 问下 问一下 一下 想问 咨询 客户 说 问 帮 帮忙 帮我 去 来 ' +
    '怎么 怎样 怎么样 如何 咋 咋样 什么 啥 哪些 哪个 哪儿 为什么 为啥 怎么回事 怎么办 咋办 是不是 ' +
    '能 能不能 可以 可不可以 会 会不会 要 需要 想 应该 得到 行 行不行 不 没 没有 ' +
    '一 一个 一些 些 个 下 里 上 一般 现在 大概 已经 比如 之后 以后 时候'
  ).split(' '),
);

/** Kept whole by the segmenter; high enough to beat the general dictionary's splits. */
const DOMAIN_WORD_FREQUENCY = 100_000;

function createAnalyzer(options: AnalyzerOptions): Analyzer {
  const vocabulary = loadVocabulary();
  const normalizer = loadNormalizer(normalize);
  const jieba = Jieba.withDict(dict);
  const domainWords = new Set([...vocabulary.terms, ...vocabulary.groups.flat()].map(normalize).filter(Boolean));
  jieba.loadDict(Buffer.from([...domainWords].map((word) => `${word} ${DOMAIN_WORD_FREQUENCY} n`).join('\n')));
  const canonical = new Map<string, string>();
  for (const [head, ...rest] of vocabulary.groups.map((group) => group.map(normalize))) {
    for (const word of rest) canonical.set(word, head!);
  }

  const words = (text: string) => {
      const words: string[] = [];
      for (const token of jieba.cutForSearch(text, true)) {
        const word = token.trim();
        if (!word || STOP_WORDS.has(word) || !/[\p{L}\p{N}]/u.test(word)) continue;
        words.push(canonical.get(word) ?? word);
      }
      return words;
  };
  const chars = (text: string) => {
      const grams: string[] = [];
      for (const run of text.match(/\p{Script=Han}+|[a-z0-9]+/gu) ?? []) {
        if (!/\p{Script=Han}/u.test(run)) {
          grams.push(run);
          continue;
        }
        grams.push(...run);
        for (let i = 0; i + 1 < run.length; i++) grams.push(run.slice(i, i + 2));
      }
      return grams;
  };
  const terms = (text: string): Terms => ({ words: words(text), chars: chars(text) });
  const standard = (text: string) => (options.standardize ? normalizer.standardize(normalize(text)) : normalize(text));
  return {
    document: (text) => terms(standard(text)),
    query: (text) => terms(options.trim ? normalizer.trim(standard(text)) : standard(text)),
    outside: (text) => normalizer.outside(standard(text)),
  };
}

/** Full-width letters and digits to ASCII, lower case, punctuation to spaces. */
export function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const shared = new Map<string, Analyzer>();

/** Loading the dictionary takes a while; every index in the process shares one analyzer. */
export function defaultAnalyzer(options: AnalyzerOptions = ALL): Analyzer {
  const key = JSON.stringify(options);
  let analyzer = shared.get(key);
  if (!analyzer) shared.set(key, (analyzer = createAnalyzer(options)));
  return analyzer;
}
