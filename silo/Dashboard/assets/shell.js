// The header every page shares: where you are, the other pages, and the API key the pages call the silo with.
import { h } from './dom.js';
import { apiKey, setApiKey } from './api.js';

const pages = [
  { id: 'overview', href: '/dashboard', text: 'Overview' },
  { id: 'chat', href: '/dashboard/chat', text: 'Chat' },
  { id: 'modelfactory', href: '/dashboard/modelfactory', text: 'ModelFactory' },
];

/** Puts the header at the top of the body, with `active` (overview, chat or modelfactory) marked. */
export function mountShell(active) {
  const input = h('input', {
    id: 'api-key', type: 'password', autocomplete: 'off', placeholder: 'API key (operator or agent)', value: apiKey(), 'aria-label': 'API key',
  });
  const save = event => {
    event.preventDefault();
    setApiKey(input.value.trim());
  };
  const header = h('header', { class: 'top' },
    h('a', { class: 'brand', href: '/dashboard' }, h('span', { class: 'brand-mark', text: '◆' }), ' OpenLedger Grid'),
    h('nav', {}, pages.map(p => h('a', { href: p.href, class: p.id === active ? 'active' : '', text: p.text }))),
    h('form', { class: 'key', onsubmit: save },
      input,
      h('button', { id: 'api-key-save', type: 'submit', text: 'Use key' })));
  document.body.prepend(header);
}

/** Runs refresh now, every `seconds`, and whenever the key changes; a refresh never overlaps the last one. */
export function every(seconds, refresh) {
  let running = false;
  const run = async () => {
    if (running) {
      return;
    }
    running = true;
    try {
      await refresh();
    } finally {
      running = false;
    }
  };
  run();
  window.addEventListener('openledger:key', run);
  return setInterval(run, seconds * 1000);
}
