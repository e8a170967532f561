// Cost forecast: the current month's spend so far and its projection to the month's end, against
// the monthly budget when one is set. The API computes every figure and says how.
import { api } from '../api.js';
import { h, card, section, usd } from '../dom.js';
import { barChart } from '../charts.js';

export async function render(view) {
  const f = await api('/api/admin/analytics/forecast');
  const chart = h('div', { class: 'chart', id: 'forecast-chart' });
  const budget = f.budget_usd === null
    ? card('forecast-budget', 'Monthly budget', 'not set', 'Settings → AI: budgets.platform_monthly_usd')
    : card('forecast-budget', 'Monthly budget', usd(f.budget_usd),
      `${f.spent_percent_of_budget} % spent · ${f.projected_percent_of_budget} % projected`);
  view.replaceChildren(
    section(`Cost forecast ${f.month} (as of ${f.as_of}, day ${f.days_elapsed} of ${f.days_in_month})`,
      h('div', { class: 'cards' },
        card('forecast-spent', 'Month to date', usd(f.spent_usd)),
        card('forecast-average', 'Average per day', usd(f.average_daily_usd)),
        card('forecast-projected', 'Projected month total', usd(f.projected_usd)),
        budget),
      f.projected_over_budget === true
        ? h('p', { class: 'error', id: 'forecast-warning' }, 'The projection is over the monthly budget.') : null,
      h('p', { class: 'note', id: 'forecast-method' }, f.method),
      chart));
  barChart(chart, f.daily.map(p => p.bucket), f.daily.map(p => p.cost_usd), { label: i => usd(f.daily[i].cost_usd) });
}
