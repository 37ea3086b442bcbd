// The promo sign-ups tab.

import { getJson } from '../api.js';
import { promoStatusLabel } from '../labels.js';
import { $, badge, cell, dateTime, handle } from './common.js';

export function initPromo() {
  $('promo-filters').addEventListener('submit', (event) => { event.preventDefault(); loadPromo(); });
}

export const promoShown = () => !$('tab-promo').hidden;

export async function loadPromo() {
  const search = $('p-search').value.trim();
  try {
    const result = await getJson(`/api/admin/promo/registrations?pageSize=100${search ? `&search=${encodeURIComponent(search)}` : ''}`);
    $('promo-caption').textContent = `Promo sign-ups (${result.total.toLocaleString()}, first 100 shown)`;
    const body = $('promo-table').tBodies[0];
    body.replaceChildren();
    for (const r of result.items) {
      const row = body.insertRow();
      cell(row, `#${r.sequence}`);
      cell(row, r.email, 'wrap');
      cell(row, r.name, 'wrap');
      badge(cell(row, ''), r.status, promoStatusLabel(r.status));
      cell(row, r.code ?? '—');
      cell(row, dateTime.format(new Date(r.createdAt)));
      cell(row, r.decidedAt ? dateTime.format(new Date(r.decidedAt)) : '—');
    }
  } catch (error) {
    handle(error);
  }
}
