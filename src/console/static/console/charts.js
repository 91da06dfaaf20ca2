// 图表：各单位各时限及时率、月度趋势、超时原因、回访满意度。ECharts 由本服务从 node_modules 提供，按需加载。
import { api, el, lastMonth } from '/console/js/api.js';

let library;
function loadECharts() {
  library ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/console/vendor/echarts.js';
    script.onload = () => resolve(window.echarts);
    script.onerror = () => reject(new Error('图表库加载失败'));
    document.head.append(script);
  });
  return library;
}

const label = { show: true, position: 'top' };
/** The title's own band: value labels above a bar at the top of the scale stay below it. */
const TITLE = { textStyle: { fontSize: 14 }, left: 0, top: 0 };
const GRID_TOP = 56;

/**
 * A pie of a month with nothing in it says so, instead of drawing equal slices of zero. The values sit inside the
 * slices and the names in a legend that wraps (never pages), so nothing is cut off at a phone's width.
 */
function pie(title, series, data) {
  const empty = data.every((d) => !d.value);
  return {
    title: { text: title, ...TITLE },
    tooltip: {},
    legend: { bottom: 0, type: 'plain', itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 11 } },
    graphic: empty ? { type: 'text', left: 'center', top: 'middle', style: { text: '本月暂无数据', fill: '#999', fontSize: 14 } } : [],
    series: [{ type: 'pie', center: ['50%', '48%'], stillShowZeroSum: false, label: { position: 'inside', formatter: '{c}', fontSize: 12 }, ...series, data }],
  };
}
const SATISFACTION = { satisfied: '满意', fair: '一般', dissatisfied: '不满意' };

/** One limit at a time (picked above the charts): six limits in one set of bars is more than a leader can read. */
function options(data, limit) {
  const index = Math.max(0, data.units.limits.indexOf(limit));
  const shown = data.units.limits[index] ?? '';
  return {
    'chart-units': {
      title: { text: `各单位「${shown}」及时率（%）`, ...TITLE },
      tooltip: {},
      grid: { top: GRID_TOP, left: 36, right: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: data.units.units, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: 'value', max: 100 },
      series: [{ name: shown, type: 'bar', data: data.units.rates[index] ?? [], label }],
    },
    'chart-trend': {
      title: { text: '月度趋势', ...TITLE },
      tooltip: { trigger: 'axis' },
      legend: { top: 22, itemWidth: 14, textStyle: { fontSize: 11 } },
      grid: { top: GRID_TOP, left: 36, right: 12, bottom: 24 },
      xAxis: { type: 'category', data: data.trend.map((p) => p.month) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: '受理工单', type: 'line', data: data.trend.map((p) => p.opened), label },
        { name: '按时', type: 'line', data: data.trend.map((p) => p.met), label },
        { name: '超时', type: 'line', data: data.trend.map((p) => p.missed), label },
      ],
    },
    'chart-causes': pie('超时原因（未按时完成的环节）', { radius: '55%' }, data.causes.map((c) => ({ name: c.cause, value: c.count }))),
    'chart-satisfaction': pie(
      '回访满意度',
      { radius: ['35%', '60%'] },
      Object.entries(SATISFACTION).map(([key, name]) => ({ name, value: data.satisfaction[key] })),
    ),
  };
}

export function chartsPage(root) {
  const form = el('form', null, 'filters');
  form.innerHTML = '<label>月份 <input type="month" name="month" required></label><label>时限 <select name="limit"></select></label>';
  form.elements.month.value = lastMonth();
  const grid = el('div', null, 'charts');
  root.append(el('h2', '图表'), form, grid);
  const charts = [];
  const resize = () => charts.forEach((c) => c.resize());
  const draw = async () => {
    const [echarts, data] = await Promise.all([loadECharts(), api('/reports/charts?month=' + form.elements.month.value)]);
    const picked = form.elements.limit.value;
    form.elements.limit.replaceChildren(...data.units.limits.map((limit) => el('option', limit)));
    if (data.units.limits.includes(picked)) form.elements.limit.value = picked;
    charts.splice(0).forEach((c) => c.dispose());
    grid.replaceChildren();
    for (const [id, option] of Object.entries(options(data, form.elements.limit.value))) {
      const box = el('div', null, 'chart');
      box.id = id;
      grid.append(box);
      const chart = echarts.init(box, null, { renderer: 'canvas' });
      chart.setOption(option);
      charts.push(chart);
    }
    grid.dataset.month = data.month;
  };
  form.addEventListener('change', () => draw().catch(root.fail));
  window.addEventListener('resize', resize);
  draw().catch(root.fail);
  return () => {
    window.removeEventListener('resize', resize);
    charts.forEach((c) => c.dispose());
  };
}
