import type { Command, CommandIndex } from './define';

/** The slash commands (commands/index.ts lists them, one file each), found by name or alias in any case. */
export class Registry implements CommandIndex {
  private readonly byWord = new Map<string, Command>();

  constructor(readonly commands: readonly Command[]) {
    for (const command of commands) {
      for (const word of [command.name, ...command.aliases]) {
        const key = word.toLowerCase();
        const other = this.byWord.get(key);
        if (other) throw new Error(`command word "${word}" is used by both /${other.name} and /${command.name}`);
        this.byWord.set(key, command);
      }
    }
  }

  /**
   * The command a word names. Staff sometimes forget the space (/报修城关镇 …): a word starting with a Chinese
   * command name is that command, the remainder being the first argument.
   */
  find(word: string): { command: Command; glued: string } | undefined {
    const exact = this.byWord.get(word.toLowerCase());
    if (exact) return { command: exact, glued: '' };
    const prefix = [...this.byWord.keys()]
      .filter((key) => /^[\u4e00-\u9fff]/.test(key) && word.startsWith(key))
      .sort((a, b) => b.length - a.length)[0];
    return prefix === undefined ? undefined : { command: this.byWord.get(prefix)!, glued: word.slice(prefix.length) };
  }

  /**
   * The command of a two-word phrase (/停电 恢复 → /停电恢复) when there is one, with the text after the phrase;
   * otherwise the command of the word alone.
   */
  findPhrase(word: string, rest: string): { command: Command; glued: string; rest: string } | undefined {
    const [next, ...after] = rest.split(' ');
    const phrase = next ? this.byWord.get(`${word}${next}`.toLowerCase()) : undefined;
    if (phrase) return { command: phrase, glued: '', rest: after.join(' ') };
    const found = this.find(word);
    return found && { ...found, rest };
  }

  /** The commands whose names or aliases are closest to an unknown word, best first. */
  suggest(word: string, limit = 3): Command[] {
    const typed = word.toLowerCase();
    const scored = [...this.byWord.entries()].map(([key, command]) => {
      const contains = key.includes(typed) || (typed.length > 0 && typed.includes(key));
      return { command, score: contains ? 0 : distance(typed, key) / Math.max(typed.length, key.length) };
    });
    const best: Command[] = [];
    for (const { command } of scored.filter((s) => s.score <= 0.5).sort((a, b) => a.score - b.score)) {
      if (!best.includes(command)) best.push(command);
    }
    return best.slice(0, limit);
  }
}

/** Levenshtein distance over code points, so one Chinese character is one edit. */
function distance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[y.length]!;
}
