import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import type { MonthlyAnalysis } from './analysis';

/**
 * Charts the leaders read in WeCom, drawn on the server: ECharts renders to SVG (its server-side mode, no browser), and
 * resvg turns the SVG into a PNG, with the machine's CJK font for the Chinese labels. A chart is a picture of a phone's
 * width and a little more, so it reads in a chat without zooming.
 */
export const PICTURE_SIZE = { width: 800, height: 500 } as const;

/** The CJK font the pictures ask for (Debian's fonts-noto-cjk); resvg falls back to any system font it finds. */
const CHINESE_FONT = 'Noto Sans CJK SC';

export function renderPng(option: echarts.EChartsCoreOption, size: { width: number; height: number } = PICTURE_SIZE): Buffer {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: CHINESE_FONT }, ...option });
    const svg = chart.renderToSVGString();
    return new Resvg(svg, { background: 'white', font: { loadSystemFonts: true, defaultFontFamily: CHINESE_FONT } }).render().asPng();
  } finally {
    chart.dispose();
  }
}

/** The morning digest's picture: per unit, its open tickets split into those on time and those overdue, most first. */
export function digestChart(day: string, units: { name: string; open: number; overdue: number }[]): echarts.EChartsCoreOption {
  const shown = [...units].sort((a, b) => b.open - a.open).slice(0, 12).reverse();
  return {
    title: { text: `在办工单 · ${day}`, left: 'center', top: 12, textStyle: { fontSize: 22 } },
    legend: { data: ['未超时', '已超时'], top: 50, textStyle: { fontSize: 16 } },
    grid: { left: 20, right: 50, top: 90, bottom: 20, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 14 } },
    yAxis: { type: 'category', data: shown.map((u) => u.name), axisLabel: { fontSize: 16 } },
    series: [
      { name: '未超时', type: 'bar', stack: 'open', color: '#5470c6', data: shown.map((u) => u.open - u.overdue), label: { show: true, position: 'inside', fontSize: 14 } },
      { name: '已超时', type: 'bar', stack: 'open', color: '#ee6666', data: shown.map((u) => u.overdue), label: { show: true, position: 'inside', fontSize: 14 } },
    ],
  };
}

/** The monthly analysis's picture: the month's rates against 100 %, one bar each, the value at its end. */
export function monthlyChart(monthName: string, a: MonthlyAnalysis): echarts.EChartsCoreOption {
  const rates = [
    ['受理率', a.accepted.rate],
    ['按时办结率', a.handledInTime.rate],
    ['答复率', a.answered.rate],
    ['回访满意率', a.satisfaction.rate],
  ] as const;
  return {
    title: { text: `月度指标 · ${monthName}`, left: 'center', top: 12, textStyle: { fontSize: 22 } },
    grid: { left: 20, right: 80, top: 70, bottom: 20, containLabel: true },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%', fontSize: 14 } },
    yAxis: { type: 'category', data: rates.map(([name]) => name).reverse(), axisLabel: { fontSize: 16 } },
    series: [
      {
        type: 'bar',
        data: rates
          .map(([, rate]) => ({ value: rate === null ? 0 : Math.round(rate * 1000) / 10, itemStyle: { color: rate !== null && rate < 1 ? '#ee6666' : '#91cc75' } }))
          .reverse(),
        label: { show: true, position: 'right', formatter: '{c}%', fontSize: 16 },
      },
    ],
  };
}
