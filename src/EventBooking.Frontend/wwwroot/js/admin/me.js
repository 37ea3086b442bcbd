// The signed-in manager's own: the mail switch, and the title's count of requests that arrived since they last looked.

import { getJson, request } from '../api.js';
import { $, handle } from './common.js';

const baseTitle = document.title;
// Looking means the requests list in a visible window for a moment, not a glance at a tab passing by.
const lookFor = 3000;
let newCount = 0;
let lookTimer = null;
let requestsShown = () => true;

export function initMe(isRequestsTabShown) {
  requestsShown = isRequestsTabShown;
  $('mail-me').addEventListener('change', async (event) => {
    const box = event.currentTarget;
    try {
      const me = await request('PUT', '/api/admin/me', { body: { mailOnNewRequests: box.checked } });
      box.checked = me.mailOnNewRequests;
    } catch (error) {
      box.checked = !box.checked;
      handle(error);
    }
  });
  document.addEventListener('visibilitychange', lookSoon);
}

export async function loadMe() {
  try {
    const me = await getJson('/api/admin/me');
    $('mail-me').checked = me.mailOnNewRequests;
    showCount(me.newSinceLastLook);
    lookSoon();
  } catch (error) {
    handle(error);
  }
}

/** A new request came over the live feed. */
export function requestArrived() {
  showCount(newCount + 1);
  lookSoon();
}

/** The requests tab was opened: it counts as looking once it has been seen a moment. */
export function lookSoon() {
  clearTimeout(lookTimer);
  if (document.visibilityState !== 'visible' || !requestsShown() || newCount === 0) return;
  lookTimer = setTimeout(async () => {
    try {
      const me = await request('POST', '/api/admin/me/looked');
      showCount(me.newSinceLastLook);
    } catch (error) {
      handle(error);
    }
  }, lookFor);
}

function showCount(count) {
  newCount = count;
  document.title = count > 0 ? `(${count.toLocaleString()} new) ${baseTitle}` : baseTitle;
}
