// Alerts: recent budget and low-credits alerts from ai.alerts, newest first.
import { api } from '../api.js';
import { section, table } from '../dom.js';

export async function render(view) {
  const data = await api('/api/admin/alerts');
  view.replaceChildren(section('Recent alerts', table([
    { key: 'raised_at', label: 'When' },
    { key: 'kind', label: 'Type' },
    { key: 'subject', label: 'Subject' },
    { key: 'threshold_percent', label: 'Threshold', numeric: true, render: r => r.threshold_percent + ' %' },
    { key: 'period', label: 'Period' },
    { key: 'amount', label: 'Amount / limit', numeric: true,
      render: r => r.unit === 'usd' ? `$${r.amount} / $${r.limit}` : `${r.amount} / ${r.limit} credits` },
    { key: 'message', label: 'Message' },
  ], data.alerts, { id: 'alerts', keyOf: r => r.alert_id, empty: 'No alerts yet.' })));
}
