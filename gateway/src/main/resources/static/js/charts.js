// Apache ECharts (the WebJar, served by the gateway) for the dashboard's charts. Values arrive as
// the API's decimal strings; ECharts only places them on an axis, labels show the strings.
import * as echarts from '/webjars/echarts/dist/echarts.esm.min.js';

const charts = new WeakMap();

function chartIn(element) {
  charts.get(element)?.dispose();
  const chart = echarts.init(element, null, { renderer: 'svg' });
  charts.set(element, chart);
  return chart;
}

const base = { animation: false, grid: { left: 70, right: 20, top: 30, bottom: 40 }, tooltip: { trigger: 'axis' } };

/** Bars of a money series by category, e.g. cost by day. */
export function barChart(element, categories, values, { name = 'USD', label } = {}) {
  chartIn(element).setOption({
    ...base,
    xAxis: { type: 'category', data: categories },
    yAxis: { type: 'value', name },
    series: [{ type: 'bar', name, data: values, barMaxWidth: 80, itemStyle: { color: '#3b6fd4' },
      label: label ? { show: true, position: 'top', formatter: p => label(p.dataIndex) } : undefined }],
  });
}

/** A pie of named slices; value strings from the API, labels say the share. */
export function pieChart(element, slices) {
  chartIn(element).setOption({
    animation: false,
    tooltip: { trigger: 'item', formatter: p => `${p.name}: ${slices[p.dataIndex].label}` },
    legend: { bottom: 0 },
    series: [{ type: 'pie', radius: ['35%', '65%'], data: slices.map(s => ({ name: s.name, value: s.value })),
      label: { formatter: p => `${p.name}: ${slices[p.dataIndex].label}` } }],
  });
}
