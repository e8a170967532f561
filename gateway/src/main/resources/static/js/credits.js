// My credits, for any signed-in user: balance, limit, resets, what a text and an image cost,
// estimated generations (GET /api/ai/credits/stats) and the transaction history (own ledger).
import { api, signIn, signOut, signedInUser } from './api.js';
import { h, card, failure, section, table, text } from './dom.js';

const main = document.getElementById('main');
const historyPage = { page: 0, size: 20 };

async function render() {
  const [credits, stats, entries] = await Promise.all([
    api('/api/ai/credits'), api('/api/ai/credits/stats'), api('/api/ai/credits/history', { query: historyPage })]);
  const pages = Math.max(1, Math.ceil(entries.total / entries.size));
  const view = h('div', { id: 'view-credits', class: 'view' },
    h('div', { class: 'cards' },
      card('credits-balance', 'Credits left', credits.credits, `of ${credits.credits_limit} this period`),
      card('credits-used', 'Used this period', stats.credits_used, `${stats.percentage_used} %`),
      card('credits-last-reset', 'Last reset', text(credits.last_reset)),
      card('credits-next-reset', 'Next reset', text(credits.next_reset))),
    h('div', { class: 'columns' },
      section('What it costs', table([
        { key: 'operation', label: 'Operation' },
        { key: 'credits', label: 'Credits', numeric: true },
      ], Object.entries(credits.costs).map(([operation, cost]) => ({ operation, credits: cost })),
      { id: 'costs', keyOf: r => r.operation })),
      section('Estimated generations left', h('div', { class: 'cards' },
        card('estimated-text', 'Texts', stats.estimated_text_generations),
        card('estimated-image', 'Images', stats.estimated_image_generations)))),
    section('Transaction history', table([
      { key: 'created_at', label: 'When' },
      { key: 'kind', label: 'Kind' },
      { key: 'pool', label: 'Pool' },
      { key: 'delta', label: 'Change', numeric: true, render: r => (r.delta > 0 ? '+' : '') + r.delta },
      { key: 'balance_after', label: 'Balance after', numeric: true },
      { key: 'operation_type', label: 'Operation', render: r => text(r.operation_type) },
    ], entries.items, { id: 'history', keyOf: r => r.entry_id, empty: 'No transactions yet.' }),
    h('div', { class: 'pager' },
      h('button', { id: 'history-prev', disabled: entries.page === 0, onclick: () => { historyPage.page--; show(); } }, '‹ Newer'),
      h('span', { id: 'history-info' }, `Page ${entries.page + 1} of ${pages} · ${entries.total} entries`),
      h('button', { id: 'history-next', disabled: entries.page + 1 >= pages, onclick: () => { historyPage.page++; show(); } }, 'Older ›'))));
  view.dataset.ready = 'true';
  main.replaceChildren(view);
}

function show() {
  render().catch(error => {
    const view = h('div', { id: 'view-credits', class: 'view', dataset: { ready: 'true' } });
    main.replaceChildren(view);
    failure(view, error);
  });
}

if (!signIn()) {
  main.replaceChildren(h('div', { class: 'error', id: 'error' },
    'Not signed in: open the link that ./run-local.sh prints (it carries a token in the URL fragment).'));
} else {
  document.getElementById('who').textContent = signedInUser() ?? '';
  document.getElementById('sign-out').addEventListener('click', () => { signOut(); location.reload(); });
  show();
}
