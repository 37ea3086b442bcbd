// What the back office's modules share: element lookup, wording, formats and table cells. Values go in as text.

import { ApiError } from '../api.js';
import { statusLabels } from '../labels.js';

export const $ = (id) => document.getElementById(id);

/** Short status names (badges, history, charts): the one list in labels.js. */
export const statusNames = statusLabels;
export const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const shortDateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' });

export function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

export function badge(parent, status, label) {
  const span = document.createElement('span');
  span.className = 'badge';
  span.dataset.status = status;
  span.textContent = label;
  parent.append(span);
}

let onSessionEnded = () => {};

/** Where an ended session goes (the sign-in form); set once by admin.js. */
export function whenSessionEnds(handler) {
  onSessionEnded = handler;
}

/** An API error: an ended session back to sign-in, anything else shown beside the live indicator. */
export function handle(error) {
  if (error instanceof ApiError && error.status === 401) {
    onSessionEnded('Your session has ended. Please sign in again.');
    return;
  }
  $('live-state').textContent = error.message;
}
