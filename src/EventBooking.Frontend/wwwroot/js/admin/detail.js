// The detail panel: one request's summary (shared with the client pages), its history, and the status change.

import { ApiError, getJson, request } from '../api.js';
import { renderSummary } from '../orders.js';
import { $, dateTime, handle, statusNames } from './common.js';
import { loadOrders, markSelected } from './list.js';

let selected = null;

export function initDetail() {
  $('status-form').addEventListener('submit', saveStatus);
}

export async function openOrder(id) {
  try {
    selected = await getJson(`/api/admin/orders/${id}`);
    renderDetail();
    markSelected(id);
    // Whoever opened it (keyboard or screen reader) lands on the request, not back at the top of the list.
    $('detail').focus();
  } catch (error) {
    handle(error);
  }
}

function renderDetail() {
  const order = selected;
  $('detail').hidden = false;
  $('detail-title').textContent = `${order.reference} · ${order.customerName}`;
  renderSummary($('detail-fields'), order, {
    statusLabel: statusNames[order.status],
    extra: [['Consent to contact', order.consentToContact ? 'Yes' : 'No'], ['Promotion', order.promoNote]],
  });

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
  renderHistory(order.history);
}

function renderHistory(changes) {
  const history = $('history');
  history.replaceChildren();
  for (const change of changes) {
    const li = document.createElement('li');
    li.textContent = `${statusNames[change.from]} → ${statusNames[change.to]}`;
    const meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent = `${dateTime.format(new Date(change.changedAt))} by ${change.changedBy}${change.note ? ` — ${change.note}` : ''}`;
    li.append(meta);
    history.append(li);
  }
  if (changes.length === 0) {
    const li = document.createElement('li');
    li.textContent = 'No changes yet.';
    history.append(li);
  }
}

async function saveStatus(event) {
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
      await openOrder(selected.id);
      $('status-alert').textContent = 'Someone else changed this request first. The latest version is shown now.';
    } else if (error instanceof ApiError && error.status === 400) {
      $('status-alert').textContent = Object.values(error.fieldErrors).flat().join(' ') || error.message;
    } else {
      handle(error);
    }
  } finally {
    $('save-status').disabled = false;
  }
}
