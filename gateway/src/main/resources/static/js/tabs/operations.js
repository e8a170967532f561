// Operation types: per operation type and model, requests, average and total cost.
import { api } from '../api.js';
import { section, table, usd } from '../dom.js';

export async function render(view, { period }) {
  const data = await api('/api/admin/analytics/operations', { query: period });
  view.replaceChildren(section(`Operation types ${data.period.from} – ${data.period.to}`, table([
    { key: 'operation_type', label: 'Type' },
    { key: 'model', label: 'Model' },
    { key: 'requests', label: 'Requests', numeric: true },
    { key: 'average_cost_usd', label: 'Average cost', numeric: true, render: r => usd(r.average_cost_usd) },
    { key: 'total_cost_usd', label: 'Total cost', numeric: true, render: r => usd(r.total_cost_usd) },
  ], data.items, { id: 'operations', keyOf: r => r.operation_type + '/' + r.model })));
}
