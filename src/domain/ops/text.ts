// How the operations messages write sizes, shares and marks (times as the SLA messages write them).

/** A line that needs someone: the mark the desk looks for, and WeCom's warning colour on its figure. */
export function warn(figure: string, rest = ''): string {
  return `⚠️ <font color="warning">${figure}</font>${rest}`;
}

export function ok(text: string): string {
  return `✅ ${text}`;
}

/** 812 B · 12.3 KB · 4.0 GB (binary units, one decimal). */
export function size(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** 99.95% (two decimals: a month has 43,200 minutes, and one lost hour is 0.14 %). */
export function percent(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(2)}%`;
}
