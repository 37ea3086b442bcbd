import { request, getJson, ApiError } from './api.js';
import { checkInline, clearErrors } from './forms.js';
import { eventTypeLabels, budgetLabels, formatEventDate } from './orders.js';

const $ = (id) => document.getElementById(id);
const statusNames = { new: 'New', contacted: 'Contacted', confirmed: 'Confirmed', declined: 'Declined', cancelled: 'Cancelled' };
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const shortDateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' });

let page = 1;
let pageSize = 25;
let total = 0;
let selected = null; // the order shown in the detail panel
let feed = null;
const charts = {};

start();

async function start() {
  try {
    const me = await getJson('/api/admin/auth/me');
    showApp(me);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      showSignIn();
    } else {
      showSignIn(error.message);
    }
  }
}

function showSignIn(message = '') {
  feed?.close();
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

// Tabs
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

// Requests list
function filterParams() {
  const params = new URLSearchParams();
  for (const element of $('filters').elements) {
    if (!element.name || !element.value) continue;
    const value = element.name.startsWith('created') ? toUtcBoundary(element.name, element.value) : element.value;
    params.set(element.name, value);
  }
  return params;
}

function toUtcBoundary(name, date) {
  // A whole local day: from its first to its last moment.
  const [y, m, d] = date.split('-').map(Number);
  const boundary = name === 'createdFrom' ? new Date(y, m - 1, d, 0, 0, 0) : new Date(y, m - 1, d, 23, 59, 59, 999);
  return boundary.toISOString();
}

$('filters').addEventListener('submit', (event) => {
  event.preventDefault();
  page = 1;
  loadOrders();
});
$('prev').addEventListener('click', () => { if (page > 1) { page -= 1; loadOrders(); } });
$('next').addEventListener('click', () => { if (page * pageSize < total) { page += 1; loadOrders(); } });

async function loadOrders(highlight) {
  const params = filterParams();
  $('export').href = `/api/admin/orders/export.csv?${params}`;
  params.set('page', page);
  params.set('pageSize', pageSize);
  try {
    const result = await getJson(`/api/admin/orders?${params}`);
    total = result.total;
    renderOrders(result.items, highlight);
    const pages = Math.max(1, Math.ceil(total / pageSize));
    $('page-info').textContent = `Page ${page} of ${pages} · ${total.toLocaleString()} request${total === 1 ? '' : 's'}`;
    $('prev').disabled = page <= 1;
    $('next').disabled = page >= pages;
  } catch (error) {
    handle(error);
  }
}

function renderOrders(items, highlight) {
  const body = $('orders-table').tBodies[0];
  body.replaceChildren();
  for (const order of items) {
    const row = body.insertRow();
    row.dataset.id = order.id;
    row.tabIndex = 0;
    if (order.id === highlight) row.classList.add('new');
    if (order.id === selected?.id) row.setAttribute('aria-selected', 'true');
    cell(row, order.reference);
    cell(row, order.customerName, 'wrap');
    cell(row, eventTypeLabels[order.eventType] ?? order.eventType);
    cell(row, order.eventDate);
    cell(row, order.guestCount.toLocaleString());
    badge(cell(row, ''), order.status, statusNames[order.status]);
    cell(row, shortDateTime.format(new Date(order.createdAt)));
    row.addEventListener('click', () => openOrder(order.id));
    row.addEventListener('keydown', (e) => { if (e.key === 'Enter') openOrder(order.id); });
  }
  if (items.length === 0) {
    const row = body.insertRow();
    const only = cell(row, 'No requests match these filters.');
    only.colSpan = 7;
  }
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function badge(parent, status, label) {
  const span = document.createElement('span');
  span.className = 'badge';
  span.dataset.status = status;
  span.textContent = label ?? status;
  parent.append(span);
}

// Detail panel
async function openOrder(id) {
  try {
    selected = await getJson(`/api/admin/orders/${id}`);
    renderDetail();
    for (const row of $('orders-table').tBodies[0].rows) {
      row.toggleAttribute('aria-selected', row.dataset.id === id);
    }
  } catch (error) {
    handle(error);
  }
}

function renderDetail() {
  const order = selected;
  const panel = $('detail');
  panel.hidden = false;
  $('detail-title').textContent = `${order.reference} · ${order.customerName}`;
  const list = $('detail-fields');
  list.replaceChildren();
  const rows = [
    ['Status', statusNames[order.status]], ['Email', order.email], ['Phone', order.phone],
    ['Event', eventTypeLabels[order.eventType]], ['Date', formatEventDate(order.eventDate)], ['Guests', order.guestCount.toLocaleString()],
    ['City or venue', order.venue], ['Budget', order.budgetRange ? budgetLabels[order.budgetRange] : null], ['Notes', order.notes],
    ['Consent', order.consentToContact ? 'Yes' : 'No'], ['Received', dateTime.format(new Date(order.createdAt))],
  ];
  for (const [label, value] of rows) {
    if (value === null || value === undefined || value === '') continue;
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = String(value);
    list.append(dt, dd);
  }

  const select = $('new-status');
  select.replaceChildren();
  for (const next of order.nextStatuses) {
    const option = document.createElement('option');
    option.value = next;
    option.textContent = statusNames[next];
    select.append(option);
  }
  $('status-form').hidden = order.nextStatuses.length === 0;
  $('status-alert').textContent = '';

  const history = $('history');
  history.replaceChildren();
  for (const change of order.history) {
    const li = document.createElement('li');
    li.textContent = `${statusNames[change.from]} → ${statusNames[change.to]}`;
    const meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent = `${dateTime.format(new Date(change.changedAt))} by ${change.changedBy}${change.note ? ` — ${change.note}` : ''}`;
    li.append(meta);
    history.append(li);
  }
  if (order.history.length === 0) {
    const li = document.createElement('li');
    li.textContent = 'No changes yet.';
    history.append(li);
  }
}

$('status-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('save-status').disabled = true;
  try {
    selected = await request('PATCH', `/api/admin/orders/${selected.id}`, {
      body: { status: $('new-status').value, note: $('status-note').value.trim() || null, version: selected.version },
    });
    $('status-note').value = '';
    renderDetail();
    loadOrders();
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) {
      $('status-alert').textContent = `${error.problem?.title ?? 'Changed by someone else.'} The latest version is shown now.`;
      const id = selected.id;
      await openOrder(id);
      $('status-alert').textContent = 'Someone else changed this request first. The latest version is shown now.';
    } else if (error instanceof ApiError && error.status === 400) {
      $('status-alert').textContent = Object.values(error.fieldErrors).flat().join(' ') || error.message;
    } else {
      handle(error);
    }
  } finally {
    $('save-status').disabled = false;
  }
});

// Promo sign-ups
$('promo-filters').addEventListener('submit', (event) => { event.preventDefault(); loadPromo(); });

async function loadPromo() {
  const search = $('p-search').value.trim();
  try {
    const result = await getJson(`/api/admin/promo/registrations?pageSize=100${search ? `&search=${encodeURIComponent(search)}` : ''}`);
    $('promo-caption').textContent = `Promo sign-ups (${result.total.toLocaleString()}, first 100 shown)`;
    const body = $('promo-table').tBodies[0];
    body.replaceChildren();
    for (const r of result.items) {
      const row = body.insertRow();
      cell(row, `#${r.sequence}`);
      cell(row, r.email, 'wrap');
      cell(row, r.name, 'wrap');
      badge(cell(row, ''), r.status);
      cell(row, r.code ?? '—');
      cell(row, dateTime.format(new Date(r.createdAt)));
      cell(row, r.decidedAt ? dateTime.format(new Date(r.decidedAt)) : '—');
    }
  } catch (error) {
    handle(error);
  }
}

// Analytics
$('days').addEventListener('change', loadStats);

async function loadStats() {
  try {
    const stats = await getJson(`/api/admin/stats?days=${$('days').value}`);
    renderKpis(stats);
    drawChart('chart-days', 'bar', stats.ordersPerDay.map((d) => d.day.slice(5)), stats.ordersPerDay.map((d) => d.count));
    drawChart('chart-types', 'bar', stats.byEventType.map((x) => eventTypeLabels[x.label] ?? x.label), stats.byEventType.map((x) => x.count));
    drawChart('chart-status', 'doughnut', stats.byStatus.map((x) => statusNames[x.label] ?? x.label), stats.byStatus.map((x) => x.count));
    drawChart('chart-budget', 'doughnut', stats.budgetMix.map((x) => budgetLabels[x.label] ?? 'Not given'), stats.budgetMix.map((x) => x.count));
  } catch (error) {
    handle(error);
  }
}

function formatHours(hours) {
  if (hours == null) return '—';
  return hours < 1 ? `${Math.max(1, Math.round(hours * 60))} min` : `${hours.toFixed(1)} h`;
}

function renderKpis(stats) {
  const promo = stats.promo;
  const items = [
    [stats.ordersInPeriod.toLocaleString(), `requests in ${stats.days} days`],
    [stats.averageGuests ?? '—', 'average guests'],
    [formatHours(stats.medianHoursToContact), 'median time to first contact'],
    [promo.signUps.toLocaleString(), 'promo sign-ups'],
    [promo.codesIssued.toLocaleString(), 'codes issued'],
    [promo.soldOut.toLocaleString(), 'sold out'],
    [promo.failed.toLocaleString(), 'failed'],
    [promo.averageQueueWaitSeconds != null ? `${promo.averageQueueWaitSeconds.toFixed(1)} s` : '—', 'average queue wait'],
    [promo.averageProcessingSeconds != null ? `${promo.averageProcessingSeconds.toFixed(1)} s` : '—', 'average processing'],
  ];
  const box = $('kpis');
  box.replaceChildren();
  for (const [value, label] of items) {
    const div = document.createElement('div');
    div.className = 'kpi';
    const strong = document.createElement('strong');
    strong.textContent = String(value);
    const span = document.createElement('span');
    span.textContent = label;
    div.append(strong, span);
    box.append(div);
  }
}

const palette = ['#3b4cca', '#1d7a46', '#f5a524', '#b3261e', '#7c8db5', '#9b59b6'];

function drawChart(id, type, labels, data) {
  if (!window.Chart) return; // The chart library failed to load; the figures above still show.
  charts[id]?.destroy();
  const doughnut = type === 'doughnut';
  charts[id] = new window.Chart($(id), {
    type,
    data: { labels, datasets: [{ label: 'Requests', data, backgroundColor: doughnut ? palette : palette[0] }] },
    options: {
      responsive: true,
      aspectRatio: 1.6,
      animation: false,
      plugins: { legend: { display: doughnut, position: 'right' } },
      scales: doughnut ? {} : { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
}

// Live feed: new requests appear without reloading.
function connectFeed(attempt = 0) {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  feed = new WebSocket(`${scheme}://${window.location.host}/ws/admin`);
  feed.addEventListener('open', () => { attempt = 0; $('live-state').textContent = '● live'; });
  feed.addEventListener('message', (event) => {
    const item = JSON.parse(event.data);
    if (item.type === 'order-created' && page === 1) loadOrders(item.data.id);
    if (item.type === 'promo-decided' && !$('tab-promo').hidden) loadPromo();
  });
  feed.addEventListener('close', () => {
    if ($('app').hidden) return;
    $('live-state').textContent = 'reconnecting…';
    setTimeout(() => connectFeed(attempt + 1), Math.min(1000 * 2 ** attempt, 15000));
  });
}

function handle(error) {
  if (error instanceof ApiError && error.status === 401) {
    showSignIn('Your session has ended. Please sign in again.');
    return;
  }
  $('live-state').textContent = error.message;
}
