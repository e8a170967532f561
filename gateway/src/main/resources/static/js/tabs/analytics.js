// Analytics → AI, the main screen: cost chart (by day, week or month), the period's totals,
// top-5 users, popular operation types and the models' share.
import { api } from '../api.js';
import { h, card, section, table, usd } from '../dom.js';
import { barChart, pieChart } from '../charts.js';

let granularity = 'day';

export async function render(view, { period }) {
  const data = await api('/api/admin/analytics/dashboard', { query: { ...period, granularity } });
  const switcher = h('div', { class: 'switch', id: 'granularity' }, ['day', 'week', 'month'].map(name =>
    h('button', {
      id: 'granularity-' + name, class: 'toggle' + (name === data.granularity ? ' active' : ''),
      onclick: () => { granularity = name; render(view, { period }); },
    }, 'By ' + name)));
  const chart = h('div', { class: 'chart', id: 'cost-chart' });
  const pie = h('div', { class: 'chart pie', id: 'model-pie' });
  const t = data.totals;
  view.replaceChildren(
    h('p', { class: 'period-shown', id: 'period-shown' }, `${data.period.from} – ${data.period.to}`),
    h('div', { class: 'cards' },
      card('total-cost', 'Total AI cost', usd(t.cost_usd)),
      card('total-requests', 'Requests', t.requests, `${t.failed} failed`),
      card('total-tokens', 'Tokens in / out', `${t.tokens_input} / ${t.tokens_output}`),
      card('active-users', 'Active users', t.active_users)),
    section('Cost over time', switcher, chart),
    h('div', { class: 'columns' },
      section('Top 5 users by cost', table([
        { key: 'user_id', label: 'User' },
        { key: 'requests', label: 'Requests', numeric: true },
        { key: 'tokens', label: 'Tokens', numeric: true },
        { key: 'cost_usd', label: 'Cost', numeric: true, render: r => usd(r.cost_usd) },
      ], data.top_users, { id: 'top-users', keyOf: r => r.user_id })),
      section('Popular operation types', table([
        { key: 'operation_type', label: 'Operation' },
        { key: 'requests', label: 'Requests', numeric: true },
        { key: 'cost_usd', label: 'Cost', numeric: true, render: r => usd(r.cost_usd) },
      ], data.popular_operations, { id: 'popular-operations', keyOf: r => r.operation_type }))),
    section('Model share (requests)', h('div', { class: 'columns' }, pie, table([
      { key: 'model', label: 'Model' },
      { key: 'requests', label: 'Requests', numeric: true },
      { key: 'request_share', label: 'Request share', numeric: true },
      { key: 'token_share', label: 'Token share', numeric: true },
      { key: 'cost_usd', label: 'Cost', numeric: true, render: r => usd(r.cost_usd) },
      { key: 'cost_share', label: 'Cost share', numeric: true },
    ], data.model_share, { id: 'model-share', keyOf: r => r.model }))));
  barChart(chart, data.cost_over_time.map(p => p.bucket), data.cost_over_time.map(p => p.cost_usd),
    { label: i => usd(data.cost_over_time[i].cost_usd) });
  pieChart(pie, data.model_share.map(m => ({ name: m.model, value: m.requests, label: `${m.requests} requests` })));
}
