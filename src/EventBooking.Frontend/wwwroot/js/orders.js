// How an order is shown to its client (confirmation and lookup pages). Values are set as text, never as HTML.

export const eventTypeLabels = {
  wedding: 'Wedding',
  corporate: 'Corporate event',
  birthday: 'Birthday',
  conference: 'Conference',
  'private-party': 'Private party',
  other: 'Other',
};

export const budgetLabels = {
  'under-5k': 'Under 5,000',
  '5k-15k': '5,000 – 15,000',
  '15k-50k': '15,000 – 50,000',
  'over-50k': 'Over 50,000',
};

export const statusLabels = {
  new: 'Received — waiting for a planner',
  contacted: 'A planner has contacted you',
  confirmed: 'Confirmed',
  declined: 'Declined',
  cancelled: 'Cancelled',
};

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatEventDate(isoDate) {
  const [year, month, day] = isoDate.split('-').map(Number);
  return dateFormat.format(new Date(year, month - 1, day));
}

/**
 * The request as a definition list. The back office passes its own status wording and extra rows; clients see
 * `statusLabels`.
 */
export function renderSummary(list, order, { statusLabel = statusLabels[order.status] ?? order.status, extra = [] } = {}) {
  const rows = [
    ['Reference', order.reference],
    ['Status', statusLabel],
    ['Name', order.customerName],
    ['Email', order.email],
    ['Phone', order.phone],
    ['Event', eventTypeLabels[order.eventType] ?? order.eventType],
    ['Date', formatEventDate(order.eventDate)],
    ['Guests', order.guestCount.toLocaleString()],
    ['City or venue', order.venue],
    ['Budget', order.budgetRange ? budgetLabels[order.budgetRange] ?? order.budgetRange : null],
    ['Notes', order.notes],
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
