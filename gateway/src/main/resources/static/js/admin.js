// The SuperAdmin dashboard: one tab per module under tabs/, the period picker shared by the
// analytics tabs. Every figure comes from the gateway's API as it answers.
import { signIn, signOut, signedInUser } from './api.js';
import { h, failure } from './dom.js';
import { PeriodPicker } from './period.js';

const TABS = [
  { id: 'analytics', label: 'Analytics → AI', period: true },
  { id: 'users', label: 'Users', period: true },
  { id: 'operations', label: 'Operation types', period: true },
  { id: 'models', label: 'Models', period: true },
  { id: 'economics', label: 'Economics', period: true },
  { id: 'forecast', label: 'Cost forecast', period: false },
  { id: 'settings', label: 'Settings → AI', period: false },
  { id: 'alerts', label: 'Alerts', period: false },
];

const token = signIn();
const main = document.getElementById('main');
const nav = document.getElementById('tabs');
const who = document.getElementById('who');
let current = null;
let rendering = 0;

const picker = new PeriodPicker(() => show(current));
document.getElementById('toolbar').append(picker.element);

function show(tab) {
  current = tab;
  for (const button of nav.querySelectorAll('button')) {
    button.classList.toggle('active', button.dataset.tab === tab.id);
  }
  picker.element.hidden = !tab.period;
  if (location.hash !== '#' + tab.id) {
    history.replaceState(null, '', location.pathname + '#' + tab.id);
  }
  const run = ++rendering;
  const view = h('div', { id: 'view-' + tab.id, class: 'view loading' });
  main.replaceChildren(view);
  import(`./tabs/${tab.id}.js`)
    .then(module => module.render(view, { period: picker.query() }))
    .then(() => { if (run === rendering) view.classList.remove('loading'); view.dataset.ready = 'true'; })
    .catch(error => { failure(view, error); view.classList.remove('loading'); view.dataset.ready = 'true'; });
}

if (!token) {
  main.replaceChildren(h('div', { class: 'error', id: 'error' },
    'Not signed in: open the dashboard link that ./run-local.sh prints (it carries a token in the URL fragment).'));
} else {
  who.textContent = signedInUser() ?? '';
  document.getElementById('sign-out').addEventListener('click', () => { signOut(); location.reload(); });
  for (const tab of TABS) {
    nav.append(h('button', { dataset: { tab: tab.id }, id: 'tab-' + tab.id, onclick: () => show(tab) }, tab.label));
  }
  show(TABS.find(tab => '#' + tab.id === location.hash) ?? TABS[0]);
}
