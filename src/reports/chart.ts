import { OUTCOME_COLOUR, OUTCOME_LABEL } from './labels.js';
import { DRAWING_FONT, svgToPng } from '../render/svg-png.js';
import { OUTCOMES, type Outcome, type PatchReport } from './types.js';
import { windowText } from './window.js';

/**
 * The report's picture: a stacked bar of outcomes per day. The SVG is built here (pure,
 * unit-tested) and rasterised by resvg (png.ts); a fixed canvas keeps the PNG's size
 * predictable in Slack whatever the window's length (bars get thinner, labels sparser).
 */
export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 320;
export const CHART_ZOOM = 2;

const MARGIN = { left: 44, right: 16, top: 52, bottom: 62 };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** `2026-11-14` → `14 Nov`. */
export function dayLabel(day: string): string {
  const [, month, date] = day.split('-');
  return `${Number(date)} ${MONTHS[Number(month) - 1] ?? month}`;
}

/** A round top for the y axis and its step: 1, 2, 5, 10, 20, 50… so ticks read as whole runs. */
export function axisScale(max: number): { top: number; step: number } {
  if (max <= 0) return { top: 1, step: 1 };
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(rough, 1)));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  return { top: Math.ceil(max / step) * step, step };
}

const text = (x: number, y: number, body: string, attrs = ''): string =>
  `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}"${attrs ? ` ${attrs}` : ''}>${xmlEscape(body)}</text>`;

export function chartSvg(report: PatchReport): string {
  const W = CHART_WIDTH;
  const H = CHART_HEIGHT;
  const x0 = MARGIN.left;
  const x1 = W - MARGIN.right;
  const y0 = MARGIN.top;
  const y1 = H - MARGIN.bottom;
  const days = report.days;
  const totals = days.map((d) => OUTCOMES.reduce((sum, o) => sum + d.counts[o], 0));
  const { top, step } = axisScale(Math.max(0, ...totals));
  const y = (value: number) => y1 - ((y1 - y0) * value) / top;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${DRAWING_FONT}">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    text(x0, 20, report.title, 'font-size="14" font-weight="bold" fill="#1f2937"'),
    text(x0, 38, `${windowText(report.window, report.timezone)} · VMs per day by outcome`, 'font-size="10" fill="#4b5563"'),
  ];
  for (let tick = 0; tick <= top; tick += step) {
    parts.push(`<line x1="${x0}" y1="${y(tick).toFixed(1)}" x2="${x1}" y2="${y(tick).toFixed(1)}" stroke="${tick === 0 ? '#6b7280' : '#e5e7eb'}" stroke-width="1"/>`);
    parts.push(text(x0 - 6, y(tick) + 3.5, String(tick), 'font-size="10" fill="#4b5563" text-anchor="end"'));
  }
  const slot = days.length ? (x1 - x0) / days.length : x1 - x0;
  const barWidth = Math.max(2, Math.min(40, slot * 0.7));
  const labelEvery = Math.max(1, Math.ceil(days.length / 12));
  days.forEach((day, index) => {
    const left = x0 + slot * index + (slot - barWidth) / 2;
    let base = 0;
    for (const outcome of OUTCOMES) {
      const count = day.counts[outcome];
      if (count === 0) continue;
      const top = y(base + count);
      parts.push(`<rect x="${left.toFixed(1)}" y="${top.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(y(base) - top).toFixed(1)}" fill="${OUTCOME_COLOUR[outcome]}"><title>${xmlEscape(`${day.day}: ${count} ${OUTCOME_LABEL[outcome].toLowerCase()}`)}</title></rect>`);
      base += count;
    }
    if (index % labelEvery === 0) parts.push(text(x0 + slot * index + slot / 2, y1 + 14, dayLabel(day.day), 'font-size="10" fill="#374151" text-anchor="middle"'));
  });
  if (totals.every((t) => t === 0)) {
    parts.push(text((x0 + x1) / 2, (y0 + y1) / 2, 'No patch runs in this window', 'font-size="13" fill="#6b7280" text-anchor="middle"'));
  }
  parts.push(...legend(report, H - 32));
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** Swatches of the outcomes that occurred (all of them for an empty report), left to right, wrapping once full. */
function legend(report: PatchReport, firstBaseline: number): string[] {
  const shown: Outcome[] = OUTCOMES.filter((o) => report.totals[o] > 0);
  const list = shown.length ? shown : [...OUTCOMES];
  const out: string[] = [];
  let x = MARGIN.left;
  let baseline = firstBaseline;
  for (const outcome of list) {
    const label = `${OUTCOME_LABEL[outcome]} (${report.totals[outcome]})`;
    // DejaVu Sans at 10px averages ~6.1px per character; a little slack keeps labels apart.
    const width = 14 + Math.ceil(label.length * 6.2) + 14;
    if (x > MARGIN.left && x + width - 14 > CHART_WIDTH - MARGIN.right) {
      x = MARGIN.left;
      baseline += 16;
    }
    out.push(`<rect x="${x}" y="${baseline - 9}" width="10" height="10" fill="${OUTCOME_COLOUR[outcome]}"/>`);
    out.push(text(x + 14, baseline, label, 'font-size="10" fill="#374151"'));
    x += width;
  }
  return out;
}

/** The PNG Slack receives: CHART_WIDTH × CHART_HEIGHT at CHART_ZOOM. */
export function chartPng(report: PatchReport): Promise<Buffer> {
  return svgToPng(chartSvg(report), { zoom: CHART_ZOOM });
}

/** `patch-window-2026-11-21.png`: the day the window ends, in the report's zone. */
export function chartFilename(report: PatchReport): string {
  const last = report.days.at(-1)?.day ?? report.window.until.slice(0, 10);
  return `patch-window-${last}.png`;
}
