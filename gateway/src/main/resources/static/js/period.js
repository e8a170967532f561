// The period picker shared by the analytics tabs: the current day, week or month, or from–to
// (ISO dates, both included), exactly the analytics API's period parameters.
import { h } from './dom.js';

export class PeriodPicker {
  constructor(onChange) {
    this.value = { period: 'month' };
    this.onChange = onChange;
    this.from = h('input', { type: 'date', id: 'period-from', 'aria-label': 'from' });
    this.to = h('input', { type: 'date', id: 'period-to', 'aria-label': 'to' });
    this.buttons = ['day', 'week', 'month'].map(name =>
      h('button', { id: 'period-' + name, class: 'toggle', onclick: () => this.set({ period: name }) },
        name[0].toUpperCase() + name.slice(1)));
    this.element = h('div', { class: 'period', id: 'period' },
      h('span', { class: 'label' }, 'Period'), this.buttons,
      h('span', { class: 'range' }, this.from, '–', this.to,
        h('button', { id: 'period-apply', onclick: () => this.set({ from: this.from.value, to: this.to.value }) }, 'Apply')));
    this.highlight();
  }

  set(value) {
    this.value = value;
    this.highlight();
    this.onChange(value);
  }

  highlight() {
    for (const button of this.buttons) {
      button.classList.toggle('active', button.id === 'period-' + this.value.period);
    }
  }

  /** The query parameters of the chosen period. */
  query() {
    return { ...this.value };
  }
}
