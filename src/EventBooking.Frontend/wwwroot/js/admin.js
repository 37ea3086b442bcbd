// The back office: sign-in, tabs, and the modules for each part (admin/*.js).

import { getJson, request } from './api.js';
import { checkInline, clearErrors } from './forms.js';
import { $, whenSessionEnds } from './admin/common.js';
import { initDetail, openOrder } from './admin/detail.js';
import { connectFeed, disconnectFeed } from './admin/feed.js';
import { initList, loadOrders } from './admin/list.js';
import { initMe, loadMe, lookSoon } from './admin/me.js';
import { initPromo, loadPromo } from './admin/promo.js';
import { initStats, loadStats } from './admin/stats.js';

initList(openOrder);
initDetail();
initPromo();
initStats();
initMe(() => !$('tab-requests').hidden);
whenSessionEnds(showSignIn);
start();

async function start() {
  try {
    const { manager } = await getJson('/api/admin/auth/session');
    if (manager) showApp(manager);
    else showSignIn();
  } catch (error) {
    showSignIn(error.message);
  }
}

function showSignIn(message = '') {
  disconnectFeed();
  $('app').hidden = true;
  $('whoami').hidden = true;
  $('signin').hidden = false;
  $('signin-alert').textContent = message;
  $('signin-email').focus();
}

function showApp(me) {
  $('signin').hidden = true;
  $('app').hidden = false;
  $('whoami').hidden = false;
  $('manager-email').textContent = me.email;
  loadOrders();
  loadMe();
  connectFeed();
  // A link from the managers' mail opens its request: /admin#order=<id>.
  const linked = new URLSearchParams(location.hash.slice(1)).get('order');
  if (linked) openOrder(linked);
}

$('signin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  clearErrors(form);
  $('signin-alert').textContent = '';
  if (!checkInline(form)) return;
  try {
    const me = await request('POST', '/api/admin/auth/sign-in', {
      body: { email: form.elements.namedItem('email').value.trim(), password: form.elements.namedItem('password').value },
    });
    form.reset();
    showApp(me);
  } catch (error) {
    $('signin-alert').textContent = error.message;
    $('signin-alert').focus();
  }
});

$('sign-out').addEventListener('click', async () => {
  await request('POST', '/api/admin/auth/sign-out').catch(() => {});
  showSignIn();
});

// The WAI-ARIA tabs pattern: one tab in the Tab order, arrow keys (and Home/End) move between them.
const tabs = [...document.querySelectorAll('[role="tab"]')];

function selectTab(tab) {
  for (const other of tabs) {
    const selected = other === tab;
    other.setAttribute('aria-selected', String(selected));
    other.tabIndex = selected ? 0 : -1;
    $(`tab-${other.dataset.tab}`).hidden = !selected;
  }
  if (tab.dataset.tab === 'requests') lookSoon();
  if (tab.dataset.tab === 'promo') loadPromo();
  if (tab.dataset.tab === 'analytics') loadStats();
}

for (const tab of tabs) {
  tab.addEventListener('click', () => selectTab(tab));
  tab.addEventListener('keydown', (event) => {
    const index = tabs.indexOf(tab);
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = tabs[(next + tabs.length) % tabs.length];
    target.focus();
    selectTab(target);
  });
}
