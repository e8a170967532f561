// Users: requests, tokens, cost, most used model and last call per user, sorted and paged by
// the API, with the CSV export of the whole period.
import { api, download } from '../api.js';
import { h, section, table, usd } from '../dom.js';

const state = { sort: 'cost', direction: 'desc', page: 0, size: 20 };

export async function render(view, { period }) {
  const data = await api('/api/admin/analytics/users', { query: { ...period, ...state } });
  const pages = Math.max(1, Math.ceil(data.total / data.size));
  const rerender = () => render(view, { period });
  const sortBy = column => {
    state.direction = state.sort === column ? (state.direction === 'asc' ? 'desc' : 'asc') : (column === 'user' ? 'asc' : 'desc');
    state.sort = column;
    state.page = 0;
    rerender();
  };
  const status = h('span', { id: 'csv-status' });
  view.replaceChildren(section(`Users ${data.period.from} – ${data.period.to}`,
    h('div', { class: 'toolbar' },
      h('button', {
        id: 'csv-download', onclick: async () => {
          status.textContent = 'Downloaded ' + await download('/api/admin/analytics/users/export',
            { ...period, sort: state.sort, direction: state.direction });
        },
      }, 'Download CSV'), status),
    table([
      { key: 'user', label: 'User', sortable: true, render: r => r.user_id },
      { key: 'requests', label: 'Requests', sortable: true, numeric: true },
      { key: 'tokens', label: 'Tokens', sortable: true, numeric: true },
      { key: 'cost', label: 'Cost', sortable: true, numeric: true, render: r => usd(r.cost_usd) },
      { key: 'most_used_model', label: 'Model' },
      { key: 'last_call', label: 'Last call', sortable: true, render: r => r.last_call },
    ], data.items, { id: 'users', keyOf: r => r.user_id, sort: { column: data.sort, direction: data.direction }, onSort: sortBy }),
    h('div', { class: 'pager' },
      h('button', { id: 'page-prev', disabled: data.page === 0, onclick: () => { state.page--; rerender(); } }, '‹ Previous'),
      h('span', { id: 'page-info' }, `Page ${data.page + 1} of ${pages} · ${data.total} users`),
      h('button', { id: 'page-next', disabled: data.page + 1 >= pages, onclick: () => { state.page++; rerender(); } }, 'Next ›'),
      h('label', {}, 'Rows ', h('select', {
        id: 'page-size', onchange: e => { state.size = Number(e.target.value); state.page = 0; rerender(); },
      }, [10, 20, 50, 100].map(n => h('option', { value: n, selected: n === data.size }, n)))))));
}
