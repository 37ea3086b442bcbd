import { postJson, ApiError } from './api.js';
import { checkInline, clearErrors, showFieldErrors } from './forms.js';
import { renderSummary } from './orders.js';

const form = document.getElementById('lookup-form');
const alertBox = document.getElementById('lookup-alert');
const submit = document.getElementById('lookup-submit');
const result = document.getElementById('lookup-result');

const fromLink = new URLSearchParams(window.location.search).get('reference');
if (fromLink) {
  form.elements.namedItem('reference').value = fromLink;
  form.elements.namedItem('email').focus();
}

// The private link from the confirmation mail: its token stays in the fragment, which browsers never send to a
// server, and goes to the API in a request body.
const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
if (token) {
  openWithToken(token);
}

async function openWithToken(value) {
  try {
    show(await postJson('/api/orders/view', { token: value }));
  } catch (error) {
    alertBox.textContent = error instanceof ApiError && error.status === 404
      ? 'This link does not open a request any more. Enter your reference and email instead.'
      : error.message;
    alertBox.focus();
  }
}

function show(order) {
  document.getElementById('result-reference').textContent = order.reference;
  document.getElementById('result-next').textContent = order.nextSteps;
  renderSummary(document.getElementById('result-summary'), order);
  result.hidden = false;
  result.focus();
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(form);
  alertBox.textContent = '';
  result.hidden = true;
  if (!checkInline(form)) {
    return;
  }

  const reference = form.elements.namedItem('reference').value.trim();
  const email = form.elements.namedItem('email').value.trim();
  submit.disabled = true;
  try {
    show(await postJson('/api/orders/lookup', { reference, email }));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      alertBox.textContent = 'We could not find a request with this reference and email. Check both and try again.';
    } else if (error instanceof ApiError && error.status === 400) {
      alertBox.textContent = showFieldErrors(form, error.fieldErrors).join(' ') || 'Please check the highlighted fields.';
    } else {
      alertBox.textContent = error.message;
    }
    alertBox.focus();
  } finally {
    submit.disabled = false;
  }
});
