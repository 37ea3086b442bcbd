// The requests list: filters, sorting, paging and the CSV link.

import { getJson } from '../api.js';
import { eventTypeLabels, fillOptions, statusLabels } from '../labels.js';
import { $, badge, cell, handle, shortDateTime, statusNames } from './common.js';

const pageSize = 25;
let page = 1;
let total = 0;
let onOpen = () => {};
let selectedId = null;

export function initList(open) {
  onOpen = open;
  fillOptions($('f-status'), statusLabels);
  fillOptions($('f-type'), eventTypeLabels);
  $('filters').addEventListener('submit', (event) => {
    event.preventDefault();
    page = 1;
    loadOrders();
  });
  $('prev').addEventListener('click', () => { if (page > 1) { page -= 1; loadOrders(); } });
  $('next').addEventListener('click', () => { if (page * pageSize < total) { page += 1; loadOrders(); } });
}

/** True on the first page, where a new request would appear. */
export const onFirstPage = () => page === 1;

// Each load is numbered: an answer that arrives after a newer load was sent (e.g. the first page, slow on another API
// replica, after the filtered one) is not shown over it.
let latestLoad = 0;

export async function loadOrders(highlight) {
  const load = ++latestLoad;
  const params = filterParams();
  $('export').href = `/api/admin/orders/export.csv?${params}`;
  params.set('page', page);
  params.set('pageSize', pageSize);
  try {
    const result = await getJson(`/api/admin/orders?${params}`);
    if (load !== latestLoad) return;
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

/** Marks the row of the request shown in the detail panel (now and after each reload). */
export function markSelected(id) {
  selectedId = id;
  for (const row of $('orders-table').tBodies[0].rows) {
    row.toggleAttribute('aria-selected', row.dataset.id === id);
  }
}

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

function renderOrders(items, highlight) {
  const body = $('orders-table').tBodies[0];
  body.replaceChildren();
  for (const order of items) {
    const row = body.insertRow();
    row.dataset.id = order.id;
    if (order.id === highlight) row.classList.add('new');
    if (order.id === selectedId) row.setAttribute('aria-selected', 'true');
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'open-order';
    open.textContent = order.reference;
    open.addEventListener('click', (event) => {
      event.stopPropagation();
      onOpen(order.id);
    });
    const reference = cell(row, '');
    reference.append(open);
    if (order.promoCode) {
      const mark = document.createElement('span');
      mark.className = 'promo-mark';
      mark.textContent = `Promo ${order.promoCode}`;
      reference.append(mark);
    }
    cell(row, order.customerName, 'wrap');
    cell(row, eventTypeLabels[order.eventType]);
    cell(row, order.eventDate);
    cell(row, order.guestCount.toLocaleString());
    badge(cell(row, ''), order.status, statusNames[order.status]);
    cell(row, shortDateTime.format(new Date(order.createdAt)));
    // The whole row answers a pointer too; keyboards reach the button.
    row.addEventListener('click', () => onOpen(order.id));
  }
  if (items.length === 0) {
    const row = body.insertRow();
    const only = cell(row, 'No requests match these filters.');
    only.colSpan = 7;
  }
}
