import { getJson, postJson, ApiError } from './api.js';
import { checkInline, clearErrors, showFieldErrors } from './forms.js';
import { promoStatusLabel } from './labels.js';
import { follow } from './live.js';

const STORAGE_KEY = 'eventbooking.promo.registrationId';
const STEPS = ['checking-eligibility', 'generating-code', 'sending-email'];

const form = document.getElementById('signup-form');
const alertBox = document.getElementById('signup-alert');
const submit = document.getElementById('signup-submit');
const card = document.getElementById('status-card');
const connection = document.getElementById('connection');

let shownVersion = -1;
let watch = null;

// The counter: asked for every 3 s only while no socket is open. A waiting person's socket brings the codes left with
// each new place in the queue, and the count stops mattering once their own request is final.
refreshCounter();
let counterTimer = null;
pollCounter(true);

// The status link mailed to the owner of a queued email: the id travels in the fragment (never sent to a server,
// so never logged) and is kept as if signed up here; the address bar is cleaned so it is not shared by accident.
const fromMail = new URLSearchParams(window.location.hash.slice(1)).get('registration');
if (fromMail) {
  localStorage.setItem(STORAGE_KEY, fromMail);
  history.replaceState(null, '', window.location.pathname);
}

const saved = localStorage.getItem(STORAGE_KEY);
if (saved) {
  resume(saved);
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(form);
  alertBox.textContent = '';
  if (!checkInline(form)) return;

  submit.disabled = true;
  submit.textContent = 'Joining the queue…';
  try {
    const registration = await postJson('/api/promo/registrations', {
      name: form.elements.namedItem('name').value.trim(),
      email: form.elements.namedItem('email').value.trim(),
    });
    if (registration.alreadyInQueue) {
      // The original registration stays with whoever made it: this page is told only that the email is queued.
      alertBox.textContent = registration.message;
      alertBox.focus();
      return;
    }
    localStorage.setItem(STORAGE_KEY, registration.registrationId);
    start(registration.registrationId, { ...registration, version: 0 });
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) {
      alertBox.textContent = showFieldErrors(form, error.fieldErrors).join(' ') || 'Please check the highlighted fields.';
    } else {
      alertBox.textContent = error.message;
      alertBox.focus();
    }
  } finally {
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

document.getElementById('forget').addEventListener('click', () => {
  watch?.stop();
  pollCounter(true);
  localStorage.removeItem(STORAGE_KEY);
  card.hidden = true;
  form.hidden = false;
  form.reset();
  form.elements.namedItem('name').focus();
});

async function resume(id) {
  try {
    start(id, await getJson(`/api/promo/registrations/${encodeURIComponent(id)}`));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      localStorage.removeItem(STORAGE_KEY); // From another database (e.g. a reset site): start afresh.
    } else {
      start(id, null); // Offline for now: the live view retries.
    }
  }
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
    socketPath: `/ws/promo/${encodeURIComponent(id)}`,
    pollUrl: `/api/promo/registrations/${encodeURIComponent(id)}`,
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

  document.getElementById('status-sequence').textContent = `#${status.sequence}`;
  document.getElementById('status-message').textContent = status.message;

  const steps = [...document.querySelectorAll('#progress li')];
  const set = (name, state) => { steps.find((li) => li.dataset.step === name).dataset.state = state; };
  const resultLabel = document.querySelector('#progress [data-step="result"] .label');
  steps.forEach((li) => { li.dataset.state = 'pending'; });
  resultLabel.textContent = 'Result';

  const queueDetail = document.getElementById('queue-detail');
  queueDetail.textContent = '';

  if (status.status === 'Queued') {
    set('queued', 'active');
    const ahead = status.position ?? 0;
    const eta = status.etaSeconds != null ? ` · about ${formatSeconds(status.etaSeconds)}` : '';
    queueDetail.textContent = ahead === 0 ? `— you are next${eta}` : `— ${ahead.toLocaleString()} ahead of you${eta}`;
  } else if (status.status === 'Processing') {
    set('queued', 'done');
    const current = STEPS.indexOf(status.step);
    STEPS.forEach((step, index) => set(step, index < current ? 'done' : index === current ? 'active' : 'pending'));
  } else {
    set('queued', 'done');
    set('checking-eligibility', 'done');
    set('generating-code', 'done');
    set('sending-email', status.status === 'CodeIssued' ? 'done' : 'skipped');
    set('result', status.status === 'Failed' ? 'bad' : 'done');
    resultLabel.textContent = promoStatusLabel(status.status);
    // The decision reaches this page a moment before the site's own records: count once more when they have it.
    pollCounter(false);
    setTimeout(refreshCounter, 1_000);
  }

  if (status.codesLeft != null) showCounter(status.codesLeft);

  const codeBox = document.getElementById('code-box');
  codeBox.hidden = status.status !== 'CodeIssued';
  if (status.code) document.getElementById('code').textContent = status.code;
}

function formatSeconds(seconds) {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  return `${Math.round(seconds / 60)} min`;
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
    showCounter(promo.codesLeft);
    document.getElementById('codes-total').textContent =
      `of ${promo.totalCodes.toLocaleString()} codes left${promo.isOpen ? '' : ' · the promotion has ended'}`;
  } catch {
    // Keep the last figure; the next tick tries again.
  }
}
