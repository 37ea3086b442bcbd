// Draws a promo sign-up's status document on the promo page: the steps, where it stands in the queue and why it
// waits, and the code (only ever present for the page opened from the mailbox, when confirmation is on).
import { promoStatusLabel } from './labels.js';

const STEPS = ['checking-eligibility', 'generating-code', 'sending-email'];

export function renderStatus(status) {
  document.getElementById('status-sequence').textContent = `#${status.sequence}`;
  document.getElementById('status-message').textContent = status.message;

  const steps = [...document.querySelectorAll('#progress li')];
  const set = (name, state) => { steps.find((li) => li.dataset.step === name).dataset.state = state; };
  const resultLabel = document.querySelector('#progress [data-step="result"] .label');
  steps.forEach((li) => { li.dataset.state = 'pending'; });
  resultLabel.textContent = 'Result';
  const queueDetail = document.getElementById('queue-detail');
  const confirmDetail = document.getElementById('confirm-detail');
  queueDetail.textContent = '';
  confirmDetail.textContent = '';

  if (status.status === 'AwaitingConfirmation') {
    set('confirm', 'active');
    if (status.confirmBy) confirmDetail.textContent = `— open the link in our mail within ${minutesUntil(status.confirmBy)}`;
    queueDetail.textContent = waitingDetail(status);
  } else if (status.status === 'Queued') {
    set('confirm', 'done');
    set('queued', 'active');
    queueDetail.textContent = waitingDetail(status);
  } else if (status.status === 'Processing') {
    set('confirm', 'done');
    set('queued', 'done');
    const current = STEPS.indexOf(status.step);
    STEPS.forEach((step, index) => set(step, index < current ? 'done' : index === current ? 'active' : 'pending'));
  } else {
    const lapsed = status.status === 'Expired';
    set('confirm', lapsed ? 'bad' : 'done');
    set('queued', lapsed ? 'skipped' : 'done');
    set('checking-eligibility', lapsed ? 'skipped' : 'done');
    set('generating-code', lapsed ? 'skipped' : 'done');
    set('sending-email', status.status === 'CodeIssued' ? 'done' : 'skipped');
    set('result', status.status === 'Failed' || lapsed ? 'bad' : 'done');
    resultLabel.textContent = promoStatusLabel(status.status);
  }

  const codeBox = document.getElementById('code-box');
  codeBox.hidden = !status.code;
  if (status.code) {
    document.getElementById('code').textContent = status.code;
    document.getElementById('code-benefit').textContent =
      `Worth ${document.getElementById('benefit').textContent}, on a request made with the address it was sent to.`;
    document.getElementById('use-code').href = `/order#promo=${encodeURIComponent(status.code)}`;
  }
}

/** Where a waiting sign-up stands, and why it may wait longer than its place suggests. */
function waitingDetail(status) {
  const ahead = status.position ?? 0;
  const eta = status.etaSeconds != null ? ` · about ${formatSeconds(status.etaSeconds)}` : '';
  const place = ahead === 0 ? `— you are next${eta}` : `— ${ahead.toLocaleString()} ahead of you${eta}`;
  if (!status.unconfirmedAhead) return place;
  const who = status.unconfirmedAhead === 1 ? '1 earlier sign-up has' : `${status.unconfirmedAhead.toLocaleString()} earlier sign-ups have`;
  return `${place}. ${who} not confirmed their address yet — at most ${minutesUntil(status.unconfirmedUntil)}.`;
}

function minutesUntil(at) {
  const seconds = Math.max(0, (new Date(at).getTime() - Date.now()) / 1000);
  const [count, unit] = seconds < 60 ? [Math.max(1, Math.round(seconds)), 'second'] : [Math.ceil(seconds / 60), 'minute'];
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

function formatSeconds(seconds) {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  return `${Math.round(seconds / 60)} min`;
}
