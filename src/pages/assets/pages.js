// The pages' only script, served by the service. It shows the words of a focused or pointed-at map mark
// (its aria-label, kept once in the page) beside it, and exchanges a one-time link's token, which
// sits after the # so that no server, log or referrer ever sees it, for a session cookie.
'use strict';

function showTip(event) {
  const tip = document.getElementById('tip');
  const mark = event.target instanceof Element ? event.target.closest('svg.map [aria-label][tabindex]') : null;
  if (!tip) return;
  if (!mark) {
    tip.hidden = true;
    return;
  }
  const box = mark.getBoundingClientRect();
  tip.textContent = mark.getAttribute('aria-label');
  tip.hidden = false;
  tip.style.left = `${Math.min(box.right + 8, window.innerWidth - tip.offsetWidth - 8)}px`;
  tip.style.top = `${Math.max(box.top - tip.offsetHeight - 4, 4)}px`;
}

document.addEventListener('focusin', showTip);
document.addEventListener('mouseover', showTip);
document.addEventListener('focusout', () => {
  const tip = document.getElementById('tip');
  if (tip) tip.hidden = true;
});

const exchange = document.querySelector('[data-link-exchange]');
if (exchange) {
  const token = location.hash.slice(1);
  // Out of the address bar and the history at once.
  history.replaceState(null, '', location.pathname);
  const status = exchange.querySelector('[data-status]');
  const failed = () => {
    status.textContent = 'This link has expired or was already used. Ask for a new one, or sign in with an API key.';
  };
  if (!token) failed();
  else
    fetch('/pages/link', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }), credentials: 'same-origin' })
      .then((response) => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))))
      .then((answer) => location.replace(answer.location))
      .catch(failed);
}
