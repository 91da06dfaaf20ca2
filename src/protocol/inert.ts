/**
 * What a person types must never become the bot's own markup. WeCom's markdown turns `<@userid>` and `@all` into
 * mentions, `[text](url)` into links, `**` into emphasis, backticks into code and `<font …>` into colour; cards and the
 * group robot's text show the same characters. Each such character is replaced by its full-width twin, which reads
 * the same to a person and means nothing to WeCom. Applied once to everything typed, after the forgiving NFKC reading
 * of the command (which would turn the twins back), so every template — reply, card, notice, nag, webhook @ line —
 * shows typed text as text.
 */
const TWINS: Record<string, string> = { '<': '＜', '>': '＞', '[': '［', ']': '］', '*': '＊', '`': '｀', '@': '＠' };

export function inert(text: string): string {
  return text.replace(/[<>[\]*`@]/g, (char) => TWINS[char]!);
}
