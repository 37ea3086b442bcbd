import { getJson, postJson, ApiError } from './api.js';
import { checkInline, clearErrors, showFieldErrors } from './forms.js';
import { follow } from './live.js';
import { mountProofOfWork } from './proof-of-work.js';
import { renderStatus } from './promo-status.js';

const STORAGE_KEY = 'eventbooking.promo.registrationId';
// Held only by a page opened from the confirmation mail: it lets that page, and no other, see the code.
const MAILBOX_KEY = 'eventbooking.promo.mailboxKey';

const form = document.getElementById('signup-form');
const alertBox = document.getElementById('signup-alert');
const submit = document.getElementById('signup-submit');
const card = document.getElementById('status-card');
const connection = document.getElementById('connection');

let shownVersion = -1;
let watch = null;
let proofOfWork = null;
let settings = null;

// Links from our mails carry their secret in the fragment (never sent to a server, so never logged): the
// confirmation link's token, or the status link's registration id. The address bar is cleaned so neither is shared
// by accident.
const fromMail = new URLSearchParams(window.location.hash.slice(1));
if (fromMail.has('confirm') || fromMail.has('registration')) {
  history.replaceState(null, '', window.location.pathname);
}
if (fromMail.get('registration')) {
  localStorage.setItem(STORAGE_KEY, fromMail.get('registration'));
}
// A page that follows a sign-up shows no form (nor solves a challenge for one) unless following fails.
form.hidden = Boolean(fromMail.get('confirm') || localStorage.getItem(STORAGE_KEY));

// The counter: asked for every 3 s only while no socket is open. A waiting person's socket brings the codes left with
// each new place in the queue, and the count stops mattering once their own request is final.
refreshCounter();
let counterTimer = null;
pollCounter(true);

if (fromMail.get('confirm')) {
  confirmAddress(fromMail.get('confirm'));
} else if (localStorage.getItem(STORAGE_KEY)) {
  resume(localStorage.getItem(STORAGE_KEY));
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(form);
  alertBox.textContent = '';
  if (!checkInline(form)) return;

  submit.disabled = true;
  submit.textContent = proofOfWork ? 'Finishing the automatic check…' : 'Joining the queue…';
  try {
    const altcha = proofOfWork ? await proofOfWork.solved() : undefined;
    submit.textContent = 'Joining the queue…';
    const registration = await postJson('/api/promo/registrations', {
      name: form.elements.namedItem('name').value.trim(),
      email: form.elements.namedItem('email').value.trim(),
      altcha,
    });
    if (registration.alreadyInQueue) {
      // The original registration stays with whoever made it: this page is told only that the email is queued.
      alertBox.textContent = registration.message;
      alertBox.focus();
      return;
    }
    localStorage.setItem(STORAGE_KEY, registration.registrationId);
    localStorage.removeItem(MAILBOX_KEY);
    start(registration.registrationId, { ...registration, version: 0 });
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) {
      alertBox.textContent = showFieldErrors(form, error.fieldErrors).join(' ') || 'Please check the highlighted fields.';
    } else {
      alertBox.textContent = error.message;
      alertBox.focus();
    }
  } finally {
    // A solved challenge pays for one attempt: a form still there to try again gets a new one.
    if (!form.hidden) proofOfWork?.renew();
    submit.disabled = false;
    submit.textContent = 'Get in the queue';
  }
});

document.getElementById('copy-code').addEventListener('click', async () => {
  const code = document.getElementById('code').textContent;
  const feedback = document.getElementById('copy-feedback');
  try {
    await navigator.clipboard.writeText(code);
    feedback.textContent = 'Copied!';
  } catch {
    window.getSelection().selectAllChildren(document.getElementById('code'));
    feedback.textContent = 'Press Ctrl+C (or ⌘C) to copy.';
  }
});

async function confirmAddress(token) {
  try {
    const confirmed = await postJson('/api/promo/confirmations', { token });
    localStorage.setItem(STORAGE_KEY, confirmed.registrationId);
    localStorage.setItem(MAILBOX_KEY, confirmed.mailboxKey);
    start(confirmed.registrationId, confirmed.status);
  } catch (error) {
    alertBox.textContent = `${error.problem?.title ?? 'We could not confirm your address.'} ${error.problem?.detail ?? error.message}`;
    if (localStorage.getItem(STORAGE_KEY)) {
      resume(localStorage.getItem(STORAGE_KEY));
    } else {
      showForm();
    }
    alertBox.focus();
  }
}

/** The status address of a registration, with the mailbox key when this page holds it (the key is never logged). */
function statusQuery(id) {
  const key = localStorage.getItem(MAILBOX_KEY);
  return `${encodeURIComponent(id)}${key ? `?key=${encodeURIComponent(key)}` : ''}`;
}

async function resume(id) {
  try {
    start(id, await getJson(`/api/promo/registrations/${statusQuery(id)}`));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      localStorage.removeItem(STORAGE_KEY); // From another database (e.g. a reset site): start afresh.
      showForm();
    } else {
      start(id, null); // Offline for now: the live view retries.
    }
  }
}

function showForm() {
  form.hidden = false;
  offerProofOfWork();
}

/** The automatic check, once the site asks for one and a form is there to send it with. */
function offerProofOfWork() {
  if (settings?.proofOfWork && !proofOfWork && !form.hidden) proofOfWork = mountProofOfWork(document.getElementById('proof-of-work'));
}

function start(id, status) {
  form.hidden = true;
  card.hidden = false;
  shownVersion = -1;
  if (status) render(status);
  if (status?.isFinal) {
    connection.textContent = 'final';
    return;
  }
  watch?.stop();
  watch = follow({
    socketPath: `/ws/promo/${statusQuery(id)}`,
    pollUrl: `/api/promo/registrations/${statusQuery(id)}`,
    isFinal: (s) => s.isFinal,
    onStatus: render,
    onConnection: (state) => {
      connection.textContent = { live: 'live', reconnecting: 'reconnecting…', done: 'final' }[state] ?? state;
      pollCounter(state === 'reconnecting');
    },
  });
}

function render(status) {
  const version = status.version ?? 0;
  if (version < shownVersion) return; // An older update arriving late.
  shownVersion = version;
  renderStatus(status);
  if (status.codesLeft != null) showCounter(status.codesLeft);
  if (status.isFinal) {
    pollCounter(false);
    // No code comes back, so a decision that left none needs no count. Any other reaches this page a moment before
    // the site's own records: count once more when they have it.
    if (status.codesLeft !== 0) setTimeout(refreshCounter, 1_000);
  }
}

function pollCounter(on) {
  if (on) {
    counterTimer ??= setInterval(refreshCounter, 3_000);
  } else {
    clearInterval(counterTimer);
    counterTimer = null;
  }
}

function showCounter(codesLeft) {
  document.getElementById('codes-left').textContent = codesLeft.toLocaleString();
}

async function refreshCounter() {
  try {
    const promo = await getJson('/api/promo');
    settings = promo;
    showCounter(promo.codesLeft);
    document.getElementById('benefit').textContent = promo.benefit;
    const minutes = promo.confirmWithinMinutes;
    document.getElementById('confirm-within').textContent = `within ${minutes} minute${minutes === 1 ? '' : 's'}`;
    document.getElementById('promo-rule').hidden = !promo.confirmEmail;
    offerProofOfWork();
    document.querySelector('#progress [data-step="confirm"]').hidden = !promo.confirmEmail;
    document.getElementById('codes-total').textContent =
      `of ${promo.totalCodes.toLocaleString()} codes left${promo.isOpen ? '' : ' · the promotion has ended'}`;
  } catch {
    // Keep the last figure; the next tick tries again.
  }
}
