// The back office: sign-in, tabs, and the modules for each part (admin/*.js).

import { ApiError, getJson, request } from './api.js';
import { checkInline, clearErrors } from './forms.js';
import { $, whenSessionEnds } from './admin/common.js';
import { initDetail, openOrder } from './admin/detail.js';
import { connectFeed, disconnectFeed } from './admin/feed.js';
import { initList, loadOrders } from './admin/list.js';
import { initPromo, loadPromo } from './admin/promo.js';
import { initStats, loadStats } from './admin/stats.js';

initList(openOrder);
initDetail();
initPromo();
initStats();
whenSessionEnds(showSignIn);
start();

async function start() {
  try {
    showApp(await getJson('/api/admin/auth/me'));
  } catch (error) {
    showSignIn(error instanceof ApiError && (error.status === 401 || error.status === 403) ? '' : error.message);
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
  connectFeed();
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

for (const tab of document.querySelectorAll('.tab')) {
  tab.addEventListener('click', () => {
    for (const other of document.querySelectorAll('.tab')) {
      other.setAttribute('aria-selected', String(other === tab));
      $(`tab-${other.dataset.tab}`).hidden = other !== tab;
    }
    if (tab.dataset.tab === 'promo') loadPromo();
    if (tab.dataset.tab === 'analytics') loadStats();
  });
}
