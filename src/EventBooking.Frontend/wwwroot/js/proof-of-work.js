// The sign-up's proof of work: the ALTCHA widget (vendored in /lib/altcha, MIT), solving a challenge from our own
// API in a worker while the person types. Each solved challenge pays for one sign-up, so a new one is fetched after
// every attempt that leaves the form on the page.
import '../lib/altcha/altcha.min.js';

globalThis.$altcha.algorithms.set('SHA-256', () => new Worker('/lib/altcha/sha-worker.js'));

export function mountProofOfWork(container) {
  const widget = document.createElement('altcha-widget');
  widget.setAttribute('challenge', '/api/promo/challenge');
  widget.setAttribute('auto', 'onload');
  widget.setAttribute('name', 'altcha');
  let payload = null;
  let waiting = [];
  widget.addEventListener('statechange', (event) => {
    payload = event.detail.state === 'verified' ? event.detail.payload : null;
    if (payload) {
      waiting.forEach((resolve) => resolve(payload));
      waiting = [];
    }
  });
  container.append(widget);

  return {
    /** The solved challenge, once the widget has it. */
    solved: () => (payload ? Promise.resolve(payload) : new Promise((resolve) => { waiting.push(resolve); widget.verify?.(); })),
    /** A new challenge for the next attempt (the last one is used up). */
    renew: () => {
      payload = null;
      widget.reset?.();
      widget.verify?.();
    },
  };
}
