import { postJson, ApiError } from './api.js';
import { checkInline, clearErrors, showFieldErrors } from './forms.js';
import { budgetLabels, eventTypeLabels, fillOptions } from './labels.js';
import { renderSummary } from './orders.js';

const form = document.getElementById('order-form');
const alertBox = document.getElementById('form-alert');
const submit = document.getElementById('submit');
const requestSection = document.getElementById('request');
const confirmation = document.getElementById('confirmation');
fillOptions(form.elements.namedItem('eventType'), eventTypeLabels);
fillOptions(form.elements.namedItem('budgetRange'), budgetLabels);

// One key per filled-in form: a double click or a retry after a lost answer returns the same order. An edited form
// is another request, so it gets a key of its own (the API refuses a key reused for other content with a 409).
let idempotencyKey = crypto.randomUUID();
let keySentWith = null;

const eventDate = form.elements.namedItem('eventDate');
const today = new Date();
const isoDate = (date) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
eventDate.min = isoDate(today);
eventDate.max = isoDate(new Date(today.getFullYear() + 3, today.getMonth(), today.getDate()));

// The code mail's link carries the code in the fragment (never sent to a server): fill it in, then drop it from the address bar.
const promoInLink = new URLSearchParams(location.hash.slice(1)).get('promo');
if (promoInLink) {
  form.elements.namedItem('promoCode').value = promoInLink;
  history.replaceState(null, '', location.pathname);
}

const notes = form.elements.namedItem('notes');
const notesCount = document.getElementById('notes-count');
notes.addEventListener('input', () => { notesCount.textContent = notes.value.length.toLocaleString(); });

// Clear a field's error as soon as the person fixes it.
form.addEventListener('input', (event) => {
  const field = event.target;
  if (field.getAttribute('aria-invalid') === 'true') {
    field.removeAttribute('aria-invalid');
    const slot = form.querySelector(`[data-error-for="${field.name}"]`);
    if (slot) slot.textContent = '';
  }
});

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(form);
  alertBox.textContent = '';

  if (!checkInline(form)) {
    alertBox.textContent = 'Please check the highlighted fields.';
    return;
  }

  const body = readForm();
  if (keySentWith !== null && keySentWith !== JSON.stringify(body)) {
    idempotencyKey = crypto.randomUUID();
  }
  keySentWith = JSON.stringify(body);

  setSending(true);
  try {
    const order = await postJson('/api/orders', body, { 'Idempotency-Key': idempotencyKey });
    showConfirmation(order);
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) {
      idempotencyKey = crypto.randomUUID();
      keySentWith = null;
      alertBox.textContent = 'Your request was not sent yet. Please press "Send my request" again.';
      alertBox.focus();
    } else if (error instanceof ApiError && error.status === 400 && Object.keys(error.fieldErrors).length > 0) {
      const other = showFieldErrors(form, error.fieldErrors);
      alertBox.textContent = ['Please check the highlighted fields.', ...other].join(' ');
    } else {
      alertBox.textContent = `${error.message} Everything you typed is still here: press "Send my request" again.`;
      alertBox.focus();
    }
  } finally {
    setSending(false);
  }
});

document.getElementById('print').addEventListener('click', () => window.print());
document.getElementById('another').addEventListener('click', () => {
  form.reset();
  notesCount.textContent = '0';
  idempotencyKey = crypto.randomUUID();
  keySentWith = null;
  confirmation.hidden = true;
  requestSection.hidden = false;
  form.elements.namedItem('customerName').focus();
});

function readForm() {
  const value = (name) => form.elements.namedItem(name).value.trim();
  const optional = (name) => value(name) || null;
  return {
    customerName: value('customerName'),
    email: value('email'),
    phone: optional('phone'),
    eventType: value('eventType'),
    eventDate: value('eventDate'),
    guestCount: Number(value('guestCount')),
    venue: optional('venue'),
    budgetRange: optional('budgetRange'),
    notes: optional('notes'),
    consentToContact: form.elements.namedItem('consentToContact').checked,
    promoCode: optional('promoCode'),
  };
}

function setSending(sending) {
  submit.disabled = sending;
  submit.textContent = sending ? 'Sending…' : 'Send my request';
  form.setAttribute('aria-busy', String(sending));
}

function showConfirmation(order) {
  document.getElementById('confirmation-name').textContent = order.customerName;
  document.getElementById('confirmation-reference').textContent = order.reference;
  document.getElementById('confirmation-next').textContent = order.nextSteps;
  const promo = document.getElementById('confirmation-promo');
  promo.hidden = !order.promoNote;
  promo.textContent = order.promoNote ?? '';
  renderSummary(document.getElementById('confirmation-summary'), order);
  // Only the reference goes into the link: an email address does not belong in URLs and browser history.
  document.getElementById('lookup-link').href = `/lookup?reference=${encodeURIComponent(order.reference)}`;

  requestSection.hidden = true;
  confirmation.hidden = false;
  confirmation.focus();
  window.scrollTo({ top: 0 });
}
