// Settings → AI: the OpenAI key (entered, checked, shown masked), model per operation, USD
// prices, token limits, budgets and test mode, each saved on its own with the API's validation
// message next to the field; and the audit trail (who, when, old → new).
import { api } from '../api.js';
import { h, section, table, text } from '../dom.js';

const API_KEY = 'openai.api_key';
const LIMITS = [
  ['limits.user_tokens_per_period', 'Tokens per user and period (0 = no limit)'],
  ['budgets.user_monthly_usd', 'Monthly budget per user, USD (0 = none)'],
  ['budgets.platform_monthly_usd', 'Monthly AI budget of the platform, USD (0 = none)'],
  ['budgets.platform_daily_usd', 'Daily AI budget of the platform, USD (0 = none)'],
];
const FLAGS = [
  ['test_mode', 'Test mode: users may reset their own credits'],
  ['budgets.platform_blocks', 'Reject requests while the platform monthly budget is exhausted'],
];

export async function render(view) {
  const [current, audit] = await Promise.all([api('/api/admin/settings'), api('/api/admin/settings/audit')]);
  const inForce = key => current.settings[key]?.value ?? null;
  const rerender = () => render(view);

  /** One editable setting: saving sends {key: value} (an empty value restores the default). */
  function field(key, label, { type = 'text', choices } = {}) {
    const value = inForce(key);
    const fallback = current.defaults[key];
    const error = h('span', { class: 'field-error', role: 'alert' });
    const input = choices
      ? h('select', { name: key }, h('option', { value: '' }, 'default'),
        choices.map(c => h('option', { value: c, selected: value === c }, c)))
      : h('input', { name: key, type, value: value ?? '', placeholder: fallback ?? 'configured default' });
    const save = async newValue => {
      error.textContent = '';
      try {
        await api('/api/admin/settings', { method: 'PUT', body: { [key]: newValue } });
        rerender();
      } catch (e) {
        error.textContent = e.message;
        row.classList.add('invalid');
      }
    };
    const row = h('div', { class: 'field', 'data-key': key },
      h('label', {}, h('span', {}, label), h('code', {}, key)),
      input,
      h('button', { class: 'save', onclick: () => save(input.value.trim() === '' ? null : input.value.trim()) }, 'Save'),
      value === null ? null : h('button', { class: 'reset', onclick: () => save(null) }, 'Use default'),
      h('small', { class: 'in-force' }, value === null
        ? (fallback === undefined ? 'configured default' : `default: ${fallback}`)
        : `v${current.settings[key].version} by ${current.settings[key].changed_by}`),
      error);
    return row;
  }

  const apiKeyInput = h('input', { type: 'password', id: 'api-key', autocomplete: 'off', placeholder: 'sk-…' });
  const apiKeyResult = h('span', { id: 'api-key-result', role: 'status' });
  const saveKeyError = h('span', { class: 'field-error', role: 'alert' });
  const keySection = section('OpenAI API key',
    h('p', {}, 'Key in force: ', h('code', { id: 'api-key-masked' }, text(inForce(API_KEY) ?? 'none set here (configuration or sandbox)'))),
    h('div', { class: 'field', 'data-key': API_KEY },
      apiKeyInput,
      h('button', {
        id: 'api-key-check', onclick: async () => {
          apiKeyResult.textContent = 'Checking…';
          try {
            const body = apiKeyInput.value.trim() === '' ? {} : { api_key: apiKeyInput.value.trim() };
            const result = await api('/api/admin/settings/openai-key/check', { method: 'POST', body });
            apiKeyResult.textContent = result.valid
              ? `Valid: ${result.models.length} models available (${result.models.slice(0, 5).join(', ')})`
              : `Not valid: ${result.message}`;
            apiKeyResult.className = result.valid ? 'ok' : 'field-error';
          } catch (e) {
            apiKeyResult.textContent = e.message;
            apiKeyResult.className = 'field-error';
          }
        },
      }, 'Check key'),
      h('button', {
        id: 'api-key-save', onclick: async () => {
          saveKeyError.textContent = '';
          try {
            await api('/api/admin/settings', { method: 'PUT', body: { [API_KEY]: apiKeyInput.value.trim() } });
            rerender();
          } catch (e) {
            saveKeyError.textContent = e.message;
          }
        },
      }, 'Save key'),
      apiKeyResult, saveKeyError));

  const modelKeys = Object.keys(current.defaults).filter(k => k.startsWith('models.'));
  const priceKeys = Object.keys(current.defaults).filter(k => k.startsWith('model_prices.'));
  const userId = h('input', { id: 'override-user', placeholder: 'user id' });
  const userKey = h('select', { id: 'override-key' }, LIMITS.slice(0, 2).map(([k]) => h('option', { value: k }, k)));
  const userValue = h('input', { id: 'override-value', placeholder: 'value' });
  const userError = h('span', { class: 'field-error', role: 'alert' });
  const changes = [...audit.changes].reverse();

  view.replaceChildren(
    keySection,
    section('Model per operation', h('div', { class: 'fields', id: 'models-fields' },
      modelKeys.map(k => field(k, k.slice('models.'.length))))),
    section('Prices (USD)', h('div', { class: 'fields', id: 'price-fields' },
      priceKeys.map(k => field(k, k.slice('model_prices.'.length))))),
    section('Token limits and budgets', h('div', { class: 'fields', id: 'limit-fields' },
      LIMITS.map(([k, label]) => field(k, label)),
      h('div', { class: 'field', id: 'user-override' },
        h('label', {}, h('span', {}, 'For one user')), userId, userKey, userValue,
        h('button', {
          onclick: async () => {
            userError.textContent = '';
            try {
              await api('/api/admin/settings', {
                method: 'PUT', body: { [`${userKey.value}.user.${userId.value.trim()}`]: userValue.value.trim() || null },
              });
              rerender();
            } catch (e) {
              userError.textContent = e.message;
            }
          },
        }, 'Save'), userError))),
    section('Test mode and blocking', h('div', { class: 'fields', id: 'flag-fields' },
      FLAGS.map(([k, label]) => field(k, label, { choices: ['true', 'false'] })))),
    section('Audit (newest first)', table([
      { key: 'changed_at', label: 'When' },
      { key: 'changed_by', label: 'Who' },
      { key: 'key', label: 'Setting' },
      { key: 'old_value', label: 'Old', render: r => text(r.old_value) },
      { key: 'new_value', label: 'New', render: r => text(r.new_value) },
      { key: 'version', label: 'Version', numeric: true },
    ], changes, { id: 'audit', keyOf: r => r.key + '@' + r.version, empty: 'No changes yet.' })));
}
