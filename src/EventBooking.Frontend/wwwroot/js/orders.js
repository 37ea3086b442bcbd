// How an order is shown to its client (confirmation and lookup pages). Values are set as text, never as HTML.

import { budgetLabels, clientStatusLabels, eventTypeLabels } from './labels.js';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatEventDate(isoDate) {
  const [year, month, day] = isoDate.split('-').map(Number);
  return dateFormat.format(new Date(year, month - 1, day));
}

/**
 * The request as a definition list. The back office passes its own status wording and extra rows; clients see
 * `clientStatusLabels`.
 */
export function renderSummary(list, order, { statusLabel = clientStatusLabels[order.status], extra = [] } = {}) {
  const rows = [
    ['Reference', order.reference],
    ['Status', statusLabel],
    ['Name', order.customerName],
    ['Email', order.email],
    ['Phone', order.phone],
    ['Event', eventTypeLabels[order.eventType]],
    ['Date', formatEventDate(order.eventDate)],
    ['Guests', order.guestCount.toLocaleString()],
    ['City or venue', order.venue],
    ['Budget', order.budgetRange ? budgetLabels[order.budgetRange] : null],
    ['Notes', order.notes],
    ['Promo code', order.promoCode],
    ['Received', dateTimeFormat.format(new Date(order.createdAt))],
    ...extra,
  ];
  list.replaceChildren();
  for (const [label, value] of rows) {
    if (value === null || value === undefined || value === '') {
      continue;
    }
    const term = document.createElement('dt');
    term.textContent = label;
    const detail = document.createElement('dd');
    detail.textContent = String(value);
    list.append(term, detail);
  }
}
