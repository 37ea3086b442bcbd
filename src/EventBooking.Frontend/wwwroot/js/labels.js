// Every word a page shows for a value of the API: one home, so the order form, the look-up, the promo page and the
// back office say the same thing. No page shows a raw value (an enum name) of its own.

/** Kinds of event, in the order the forms offer them. */
export const eventTypeLabels = {
  wedding: 'Wedding',
  corporate: 'Corporate event',
  birthday: 'Birthday',
  conference: 'Conference',
  'private-party': 'Private party',
  other: 'Something else',
};

export const budgetLabels = {
  'under-5k': 'Under 5,000',
  '5k-15k': '5,000 – 15,000',
  '15k-50k': '15,000 – 50,000',
  'over-50k': 'Over 50,000',
};

/** An order's status as its client reads it (confirmation and look-up). */
export const clientStatusLabels = {
  new: 'Received — waiting for a planner',
  contacted: 'A planner has contacted you',
  confirmed: 'Confirmed',
  declined: 'Declined',
  cancelled: 'Cancelled',
};

/** An order's status in the back office: short, for badges, filters, history and charts. */
export const statusLabels = {
  new: 'New',
  contacted: 'Contacted',
  confirmed: 'Confirmed',
  declined: 'Declined',
  cancelled: 'Cancelled',
};

/** A promo sign-up's status, as the promo page's status document (PascalCase) or the back office's list (kebab-case) spells it. */
const promoStatus = {
  'awaiting-confirmation': 'Waiting for you to confirm your address',
  queued: 'Queued',
  processing: 'Being processed',
  'code-issued': 'Code issued',
  'sold-out': 'All codes are gone',
  failed: 'Could not be processed',
  expired: 'Place lapsed (address not confirmed in time)',
};

export function promoStatusLabel(status) {
  const key = status.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
  return promoStatus[key] ?? 'Unknown';
}

/** Fills a select with one option per label, after the options already in it (e.g. "Any", "Choose…"). */
export function fillOptions(select, labels) {
  for (const [value, label] of Object.entries(labels)) {
    select.add(new Option(label, value));
  }
}
