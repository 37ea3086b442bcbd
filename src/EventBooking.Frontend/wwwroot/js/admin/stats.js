// The analytics tab: key figures and charts (Chart.js, served by the site).

import { getJson } from '../api.js';
import { budgetLabels, eventTypeLabels } from '../labels.js';
import { $, cell, handle, statusNames } from './common.js';

const palette = ['#3b4cca', '#1d7a46', '#f5a524', '#b3261e', '#7c8db5', '#9b59b6'];
const charts = {};

export function initStats() {
  $('days').addEventListener('change', loadStats);
}

export async function loadStats() {
  try {
    const stats = await getJson(`/api/admin/stats?days=${$('days').value}`);
    renderKpis(stats);
    drawChart('chart-days', 'bar', stats.ordersPerDay.map((d) => d.day.slice(5)), stats.ordersPerDay.map((d) => d.count));
    drawChart('chart-types', 'bar', stats.byEventType.map((x) => eventTypeLabels[x.label]), stats.byEventType.map((x) => x.count));
    drawChart('chart-status', 'doughnut', stats.byStatus.map((x) => statusNames[x.label]), stats.byStatus.map((x) => x.count));
    drawChart('chart-budget', 'doughnut', stats.budgetMix.map((x) => budgetLabels[x.label] ?? 'Not given'), stats.budgetMix.map((x) => x.count));
  } catch (error) {
    handle(error);
  }
}

function formatHours(hours) {
  if (hours == null) return '—';
  return hours < 1 ? `${Math.max(1, Math.round(hours * 60))} min` : `${hours.toFixed(1)} h`;
}

const share = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

function renderFunnel(steps) {
  const body = $('funnel-table').tBodies[0];
  body.replaceChildren();
  for (const step of steps) {
    const row = body.insertRow();
    cell(row, step.label);
    cell(row, step.count.toLocaleString());
    cell(row, step.rateFromPrevious == null ? '—' : share.format(step.rateFromPrevious));
  }
}

function renderKpis(stats) {
  renderFunnel(stats.promoSteps);
  const promo = stats.promo;
  const items = [
    [stats.ordersInPeriod.toLocaleString(), `requests in ${stats.days} days`],
    [stats.averageGuests ?? '—', 'average guests'],
    [formatHours(stats.medianHoursToContact), 'median time to first contact'],
    [promo.signUps.toLocaleString(), 'promo sign-ups'],
    [promo.codesIssued.toLocaleString(), 'codes issued'],
    [promo.soldOut.toLocaleString(), 'sold out'],
    [promo.failed.toLocaleString(), 'failed'],
    [promo.averageQueueWaitSeconds != null ? `${promo.averageQueueWaitSeconds.toFixed(1)} s` : '—', 'average queue wait'],
    [promo.averageProcessingSeconds != null ? `${promo.averageProcessingSeconds.toFixed(1)} s` : '—', 'average processing'],
  ];
  const box = $('kpis');
  box.replaceChildren();
  for (const [value, label] of items) {
    const div = document.createElement('div');
    div.className = 'kpi';
    const strong = document.createElement('strong');
    strong.textContent = String(value);
    const span = document.createElement('span');
    span.textContent = label;
    div.append(strong, span);
    box.append(div);
  }
}

function drawChart(id, type, labels, data) {
  if (!window.Chart) return; // The chart library failed to load; the figures above still show.
  charts[id]?.destroy();
  const doughnut = type === 'doughnut';
  charts[id] = new window.Chart($(id), {
    type,
    data: { labels, datasets: [{ label: 'Requests', data, backgroundColor: doughnut ? palette : palette[0] }] },
    options: {
      responsive: true,
      aspectRatio: 1.6,
      animation: false,
      plugins: { legend: { display: doughnut, position: 'right' } },
      scales: doughnut ? {} : { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
}
