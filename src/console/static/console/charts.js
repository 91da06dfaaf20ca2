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
const SATISFACTION = { satisfied: '满意', fair: '一般', dissatisfied: '不满意' };

function options(data) {
  return {
    'chart-units': {
      title: { text: '各单位各时限及时率（%）', textStyle: { fontSize: 14 } },
      tooltip: {},
      legend: { top: 24, type: 'scroll' },
      grid: { top: 64, left: 36, right: 8, bottom: 56 },
      xAxis: { type: 'category', data: data.units.units, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: 'value', max: 100 },
      series: data.units.limits.map((limit, i) => ({ name: limit, type: 'bar', data: data.units.rates[i], label })),
    },
    'chart-trend': {
      title: { text: '月度趋势', textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'axis' },
      legend: { top: 24 },
      grid: { top: 64, left: 36, right: 8, bottom: 28 },
      xAxis: { type: 'category', data: data.trend.map((p) => p.month) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: '受理工单', type: 'line', data: data.trend.map((p) => p.opened), label },
        { name: '按时', type: 'line', data: data.trend.map((p) => p.met), label },
        { name: '超时', type: 'line', data: data.trend.map((p) => p.missed), label },
      ],
    },
    'chart-causes': {
      title: { text: '超时原因（未按时完成的环节）', textStyle: { fontSize: 14 } },
      tooltip: {},
      series: [{ type: 'pie', radius: '55%', top: 24, data: data.causes.map((c) => ({ name: c.cause, value: c.count })), label: { formatter: '{b}: {c}' } }],
    },
    'chart-satisfaction': {
      title: { text: '回访满意度', textStyle: { fontSize: 14 } },
      tooltip: {},
      series: [{
        type: 'pie', radius: ['35%', '60%'], top: 24, label: { formatter: '{b}: {c}' },
        data: Object.entries(SATISFACTION).map(([key, name]) => ({ name, value: data.satisfaction[key] })),
      }],
    },
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
