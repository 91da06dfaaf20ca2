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

/** A pie of a month with nothing in it says so, instead of drawing equal slices of zero. */
function pie(title, series, data) {
  const empty = data.every((d) => !d.value);
  return {
    title: { text: title, textStyle: { fontSize: 14 } },
    tooltip: {},
    graphic: empty ? { type: 'text', left: 'center', top: 'middle', style: { text: '本月暂无数据', fill: '#999', fontSize: 14 } } : [],
    series: [{ type: 'pie', top: 24, stillShowZeroSum: false, label: { formatter: '{b}: {c}' }, ...series, data }],
  };
}
const SATISFACTION = { satisfied: '满意', fair: '一般', dissatisfied: '不满意' };

function options(data) {
  return {
    'chart-units': {
      title: { text: '各单位各时限及时率（%）', textStyle: { fontSize: 14 } },
      tooltip: {},
      legend: { bottom: 0, type: 'scroll' },
      grid: { top: 40, left: 36, right: 8, bottom: 80 },
      xAxis: { type: 'category', data: data.units.units, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: 'value', max: 100 },
      series: data.units.limits.map((limit, i) => ({ name: limit, type: 'bar', data: data.units.rates[i], label })),
    },
    'chart-trend': {
      title: { text: '月度趋势', textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { top: 40, left: 36, right: 8, bottom: 56 },
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
  form.innerHTML = '<label>月份 <input type="month" name="month" required></label>';
  form.elements.month.value = lastMonth();
  const grid = el('div', null, 'charts');
  root.append(el('h2', '图表'), form, grid);
  const charts = [];
  const resize = () => charts.forEach((c) => c.resize());
  const draw = async () => {
    const [echarts, data] = await Promise.all([loadECharts(), api('/reports/charts?month=' + form.elements.month.value)]);
    charts.splice(0).forEach((c) => c.dispose());
    grid.replaceChildren();
    for (const [id, option] of Object.entries(options(data))) {
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
