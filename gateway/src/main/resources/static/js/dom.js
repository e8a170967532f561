// Small DOM helpers: elements, tables and messages. Values are shown as the API gives them.

/** h('div', {class: 'x', onclick: fn}, child, 'text', …) */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith('on')) {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else {
      element.setAttribute(name, value === true ? '' : value);
    }
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) {
      element.append(child instanceof Node ? child : String(child));
    }
  }
  return element;
}

/** A USD amount from the API's decimal string; null stays a dash. */
export function usd(value) {
  return value === null || value === undefined ? '—' : '$' + value;
}

export function text(value) {
  return value === null || value === undefined || value === '' ? '—' : String(value);
}

/**
 * A table. columns: [{key, label, render?(row), sortable?}]; rows: objects. Each cell carries
 * data-col, each row data-key (from keyOf), so tests and styles can find them.
 */
export function table(columns, rows, { id, keyOf, sort, onSort, empty = 'No data for this period.' } = {}) {
  const head = h('tr', {}, columns.map(column => {
    const sorted = sort && sort.column === column.key;
    const label = column.label + (sorted ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : '');
    return h('th', { 'data-col': column.key, class: column.numeric ? 'num' : null },
      column.sortable && onSort ? h('button', { class: 'sort', onclick: () => onSort(column.key) }, label) : label);
  }));
  const body = rows.length === 0
    ? [h('tr', {}, h('td', { colspan: columns.length, class: 'empty' }, empty))]
    : rows.map(row => h('tr', { 'data-key': keyOf ? keyOf(row) : null },
      columns.map(column => h('td', { 'data-col': column.key, class: column.numeric ? 'num' : null },
        column.render ? column.render(row) : text(row[column.key])))));
  return h('table', { id, class: 'data' }, h('thead', {}, head), h('tbody', {}, body));
}

/** A labelled figure: <div class="card" id=…><span>label</span><strong>value</strong></div>. */
export function card(id, label, value, note) {
  return h('div', { class: 'card', id }, h('span', { class: 'label' }, label), h('strong', { class: 'value' }, value),
    note ? h('small', {}, note) : null);
}

export function section(title, ...children) {
  return h('section', {}, h('h2', {}, title), ...children);
}

/** Shows an API failure in place of a view. */
export function failure(container, error) {
  container.replaceChildren(h('div', { class: 'error', role: 'alert', id: 'error' },
    error.status === 403
      ? 'Access denied (403): this page is for super admins. ' + error.message
      : error.status === 401
        ? 'Not signed in or the token expired (401). Open the sign-in link again.'
        : `Request failed (${error.status ?? 'network'}): ${error.message}`));
}
