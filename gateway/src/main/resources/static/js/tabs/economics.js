// Economics: AI_Cost_User (cost per active day) and cost per request per user with the
// recommended tariff, AI_Cost_Operation per operation type, and the tariff thresholds.
import { api } from '../api.js';
import { h, section, table, text, usd } from '../dom.js';

export async function render(view, { period }) {
  const data = await api('/api/admin/analytics/economics', { query: period });
  view.replaceChildren(
    section(`Cost per user ${data.period.from} – ${data.period.to}`, table([
      { key: 'user_id', label: 'User' },
      { key: 'requests', label: 'Requests', numeric: true },
      { key: 'cost_usd', label: 'Cost', numeric: true, render: r => usd(r.cost_usd) },
      { key: 'active_days', label: 'Active days', numeric: true },
      { key: 'ai_cost_user', label: 'Per active day', numeric: true, render: r => usd(r.ai_cost_user) },
      { key: 'cost_per_request_usd', label: 'Per request', numeric: true, render: r => usd(r.cost_per_request_usd) },
      { key: 'recommended_tariff', label: 'Recommended tariff' },
    ], data.users, { id: 'economics-users', keyOf: r => r.user_id })),
    h('div', { class: 'columns' },
      section('Cost per request by operation type', table([
        { key: 'operation_type', label: 'Operation' },
        { key: 'requests', label: 'Requests', numeric: true },
        { key: 'cost_usd', label: 'Cost', numeric: true, render: r => usd(r.cost_usd) },
        { key: 'ai_cost_operation', label: 'Per request', numeric: true, render: r => usd(r.ai_cost_operation) },
      ], data.operations, { id: 'economics-operations', keyOf: r => r.operation_type })),
      section('Tariffs (by cost per active day)', table([
        { key: 'name', label: 'Tariff' },
        { key: 'max_cost_per_active_day_usd', label: 'Up to, per active day', numeric: true,
          render: r => r.max_cost_per_active_day_usd === null ? 'no limit' : usd(r.max_cost_per_active_day_usd) },
      ], data.tariffs, { id: 'tariffs', keyOf: r => r.name }))),
    h('p', { class: 'note' }, text('AI_Cost_User = SUM(cost_usd) / active days; AI_Cost_Operation = SUM(cost_usd) / requests.')));
}
