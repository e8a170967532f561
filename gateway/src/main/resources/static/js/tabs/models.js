// Models: observed cost per 1K tokens and per request (the efficiency chart), and the
// recommendations to serve an operation with a cheaper model.
import { api } from '../api.js';
import { h, section, table, usd } from '../dom.js';
import { barChart } from '../charts.js';

export async function render(view, { period }) {
  const data = await api('/api/admin/analytics/models', { query: period });
  const chart = h('div', { class: 'chart', id: 'efficiency-chart' });
  const priced = data.models.filter(m => m.cost_per_1k_tokens_usd !== null);
  view.replaceChildren(
    section(`Model efficiency ${data.period.from} – ${data.period.to}: USD per 1K tokens`, chart,
      table([
        { key: 'model', label: 'Model' },
        { key: 'requests', label: 'Requests', numeric: true },
        { key: 'tokens', label: 'Tokens', numeric: true },
        { key: 'cost_usd', label: 'Cost', numeric: true, render: r => usd(r.cost_usd) },
        { key: 'cost_per_1k_tokens_usd', label: 'Per 1K tokens', numeric: true, render: r => usd(r.cost_per_1k_tokens_usd) },
        { key: 'cost_per_request_usd', label: 'Per request', numeric: true, render: r => usd(r.cost_per_request_usd) },
      ], data.models, { id: 'models', keyOf: r => r.model })),
    section('Recommendations', data.recommendations.length === 0
      ? h('p', { id: 'no-recommendations' }, 'Every operation already uses its cheapest observed model.')
      : h('ul', { id: 'recommendations', class: 'recommendations' }, data.recommendations.map(r =>
        h('li', { 'data-key': r.operation_type + '/' + r.current_model }, r.message)))));
  barChart(chart, priced.map(m => m.model), priced.map(m => m.cost_per_1k_tokens_usd),
    { name: 'USD / 1K tokens', label: i => usd(priced[i].cost_per_1k_tokens_usd) });
}
