// Shows field errors next to their inputs (from the browser's own checks or from the server's ValidationProblem).

export function clearErrors(form) {
  for (const element of form.querySelectorAll('[aria-invalid]')) {
    element.removeAttribute('aria-invalid');
  }
  for (const message of form.querySelectorAll('.error')) {
    message.textContent = '';
  }
}

export function showFieldError(form, name, message) {
  const input = form.elements.namedItem(name);
  const slot = form.querySelector(`[data-error-for="${name}"]`);
  if (!input || !slot) {
    return false;
  }
  input.setAttribute('aria-invalid', 'true');
  slot.textContent = message;
  return true;
}

/** Shows every field error; returns the messages that belong to no field (for a summary). */
export function showFieldErrors(form, fieldErrors) {
  const unplaced = [];
  for (const [name, messages] of Object.entries(fieldErrors)) {
    if (!showFieldError(form, name, messages.join(' '))) {
      unplaced.push(...messages);
    }
  }
  focusFirstInvalid(form);
  return unplaced;
}

/** Runs the browser's constraint checks and shows their messages inline; returns true when all pass. */
export function checkInline(form) {
  let valid = true;
  for (const element of form.elements) {
    if (element.willValidate && !element.checkValidity()) {
      valid = false;
      showFieldError(form, element.name, element.dataset.message || element.validationMessage);
    }
  }
  if (!valid) {
    focusFirstInvalid(form);
  }
  return valid;
}

function focusFirstInvalid(form) {
  form.querySelector('[aria-invalid="true"]')?.focus();
}
