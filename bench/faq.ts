import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import type { FaqEntry } from '../src/faq/entry';
import { ANSWER_THRESHOLD, FaqIndex } from '../src/faq/matcher';
import { normalize } from '../src/faq/text';

/**
 * FAQ matcher on the labelled dev questions (never part of the knowledge base): ranking quality, what the bot would
 * do at the answer threshold, how well confidence is calibrated, and speed, next to a character-bigram baseline
 * measured in the same run. Prints a Markdown section for bench/RESULTS.md.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const devFile = path.resolve(root, '../shared/faq/dev.jsonl');
if (!existsSync(devFile)) {
  console.log(`faq: skipped, ${devFile} not found (the labelled dev questions live in ../shared/faq/dev.jsonl)`);
  process.exit(0);
}

interface Labelled {
  q: string;
  /** The entry that answers it, or null when nothing in the knowledge base does. */
  id: string | null;
}
const dev = readFileSync(devFile, 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as Labelled);
const entries = JSON.parse(readFileSync(path.join(root, 'config/faq.kb.json'), 'utf8')) as FaqEntry[];
const inScope = dev.filter((item) => item.id !== null);
const outOfScope = dev.filter((item) => item.id === null);

/** Baseline: best Dice overlap of character bigrams between the question and any listed question; no jieba, no BM25. */
function bigramBaseline(all: readonly FaqEntry[]) {
  const grams = (text: string) => {
    const chars = [...normalize(text).replace(/\s+/g, '')];
    return new Set(chars.slice(0, -1).map((char, i) => char + chars[i + 1]));
  };
  const indexed = all.map((entry) => ({ entry, questions: [entry.question, ...entry.similar].map(grams) }));
  return (question: string, limit = 3): FaqEntry[] => {
    const asked = grams(question);
    return indexed
      .map(({ entry, questions }) => {
        const best = Math.max(...questions.map((q) => (2 * [...asked].filter((g) => q.has(g)).length) / (asked.size + q.size || 1)));
        return { entry, best };
      })
      .sort((a, b) => b.best - a.best)
      .slice(0, limit)
      .map((hit) => hit.entry);
  };
}

const buildStarted = performance.now();
const index = FaqIndex.build(entries);
const buildMs = performance.now() - buildStarted;
const baseline = bigramBaseline(entries);

function ranking(top: (question: string) => string[]) {
  let first = 0;
  let three = 0;
  for (const { q, id } of inScope) {
    const ids = top(q);
    if (ids[0] === id) first++;
    if (ids.slice(0, 3).includes(id!)) three++;
  }
  return { top1: first / inScope.length, top3: three / inScope.length };
}
const ours = ranking((q) => index.search(q, 3).map((hit) => hit.entry.id));
const base = ranking((q) => baseline(q, 3).map((entry) => entry.id));

// What the bot does at the threshold.
const decisions = dev.map(({ q, id }) => ({ id, result: index.answer(q) }));
const count = (items: typeof decisions, kind: string) => items.filter((d) => d.result.kind === kind).length;
const answered = decisions.filter((d) => d.result.kind === 'answer');
const answeredRight = answered.filter((d) => d.result.kind === 'answer' && d.result.entry.id === d.id).length;
const inScopeDecisions = decisions.filter((d) => d.id !== null);
const outDecisions = decisions.filter((d) => d.id === null);
const candidatesHolding = inScopeDecisions.filter(
  (d) => d.result.kind === 'candidates' && d.result.candidates.some((hit) => hit.entry.id === d.id),
).length;

// Calibration and the threshold trade-off, from the top hit's confidence.
const tops = dev.map(({ q, id }) => {
  const [hit] = index.search(q, 1);
  return { confidence: hit?.confidence ?? 0, right: hit !== undefined && hit.entry.id === id };
});
const calibration = [0, 0.2, 0.4, 0.6, 0.7, 0.8, 0.9].map((low, i, lows) => {
  const high = lows[i + 1] ?? 1.01;
  const bin = tops.filter((t) => t.confidence >= low && t.confidence < high);
  const mean = bin.reduce((sum, t) => sum + t.confidence, 0) / (bin.length || 1);
  const right = bin.filter((t) => t.right).length / (bin.length || 1);
  return `| ${low.toFixed(1)}–${Math.min(high, 1).toFixed(1)} | ${bin.length} | ${mean.toFixed(2)} | ${pct(right)} |`;
});
const sweep = [0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9].map((t) => {
  const over = tops.filter((top) => top.confidence >= t);
  const right = over.filter((top) => top.right).length;
  const label = `${t.toFixed(2)}${t === ANSWER_THRESHOLD ? ' (chosen)' : ''}`;
  return `| ${label} | ${pct(over.length / dev.length)} | ${pct(right / (over.length || 1))} | ${pct(right / inScope.length)} |`;
});

// Speed, every dev question in turn.
let next = 0;
const ask = () => dev[next++ % dev.length]!.q;
const bench = new Bench({ time: 2000, warmup: true });
bench.add('FaqIndex.answer (jieba + BM25)', () => void index.answer(ask()));
bench.add('character-bigram baseline', () => void baseline(ask()));
await bench.run();
const speed = bench.tasks.map((task) => {
  const result = task.result;
  if (result.state !== 'completed') throw new Error(`${task.name}: ${result.state}`);
  return { name: task.name, qps: 1000 / result.period, p50: result.latency.p50, p99: result.latency.p99 };
});
const [oursSpeed, baseSpeed] = speed as [(typeof speed)[0], (typeof speed)[0]];

const commit = execSync('git rev-parse --short HEAD', { cwd: root }).toString().trim();
const model = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.+)/)?.[1] ?? cpus()[0]?.model ?? 'unknown';
const nproc = execSync('nproc').toString().trim();

console.log(`## FAQ matcher

Command: \`npm run bench faq\` · machine: ${nproc} × ${model} · Node ${process.version} · commit \`${commit}\`
Data: ${entries.length} entries (\`config/faq.kb.json\`), ${dev.length} labelled dev questions (${inScope.length} in scope, ${outOfScope.length} out of scope), never part of the knowledge base.

| | jieba + BM25 + chars (ours) | char-bigram overlap (baseline) | ratio |
| --- | --- | --- | --- |
| top-1 accuracy (in scope) | ${pct(ours.top1)} | ${pct(base.top1)} | ${(ours.top1 / base.top1).toFixed(2)}× |
| top-3 recall (in scope) | ${pct(ours.top3)} | ${pct(base.top3)} | ${(ours.top3 / base.top3).toFixed(2)}× |
| queries/s, one core | ${oursSpeed.qps.toFixed(0)} | ${baseSpeed.qps.toFixed(0)} | ${(oursSpeed.qps / baseSpeed.qps).toFixed(2)}× |
| latency p50 / p99 | ${ms(oursSpeed.p50)} / ${ms(oursSpeed.p99)} | ${ms(baseSpeed.p50)} / ${ms(baseSpeed.p99)} | |

Index build: ${buildMs.toFixed(0)} ms (first build includes loading the jieba dictionary).

At the answer threshold ${ANSWER_THRESHOLD}:

| | all ${dev.length} | in scope ${inScope.length} | out of scope ${outOfScope.length} |
| --- | --- | --- | --- |
| answer | ${pct(answered.length / dev.length)} | ${pct(count(inScopeDecisions, 'answer') / inScope.length)} | ${pct(count(outDecisions, 'answer') / outOfScope.length)} |
| candidates | ${pct(count(decisions, 'candidates') / dev.length)} | ${pct(count(inScopeDecisions, 'candidates') / inScope.length)} | ${pct(count(outDecisions, 'candidates') / outOfScope.length)} |
| none (hand to a person) | ${pct(count(decisions, 'none') / dev.length)} | ${pct(count(inScopeDecisions, 'none') / inScope.length)} | ${pct(count(outDecisions, 'none') / outOfScope.length)} |

Answers that are right: ${pct(answeredRight / (answered.length || 1))} (${answeredRight}/${answered.length}). In-scope questions answered right: ${pct(answeredRight / inScope.length)}; offered candidates that include the right entry: ${pct(candidatesHolding / inScope.length)}.

Calibration of the top hit's confidence:

| confidence | questions | mean confidence | top hit right |
| --- | --- | --- | --- |
${calibration.join('\n')}

If the threshold were t:

| t | answered (all) | right among answered | in-scope answered right |
| --- | --- | --- | --- |
${sweep.join('\n')}
`);

function pct(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

function ms(value: number): string {
  return value < 1 ? `${(value * 1000).toFixed(0)} µs` : `${value.toFixed(2)} ms`;
}
