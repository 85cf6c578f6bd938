import { describe, expect, it } from 'vitest';
import { CHART_HEIGHT, CHART_WIDTH, CHART_ZOOM, axisScale, chartFilename, chartPng, chartSvg, dayLabel } from '../../../src/reports/chart.js';
import { buildReport } from '../../../src/reports/classify.js';
import { OUTCOME_COLOUR } from '../../../src/reports/labels.js';
import { PNG_SIGNATURE, pngSize } from '../../../src/render/svg-png.js';
import type { PatchRun } from '../../../src/reports/types.js';
import { NOW, WINDOW, run } from './fixtures.js';

const build = (runs: PatchRun[], title = 'Patch window report') =>
  buildReport(runs, { title, window: WINDOW, timezone: 'Europe/Paris', now: NOW, nextWindow: null });

const sample = build([
  run({ vm: 'a', createdAt: '2026-11-14T01:00:00.000Z' }),
  run({ vm: 'b', createdAt: '2026-11-14T01:10:00.000Z' }),
  run({ vm: 'c', state: 'FAILED', result: 'rolled_back', createdAt: '2026-11-14T01:20:00.000Z' }),
  run({ vm: 'd', state: 'FAILED', createdAt: '2026-11-15T01:00:00.000Z' }),
]);

describe('chart SVG', () => {
  it('stacks one rect per outcome and day, heights proportional to the counts', () => {
    const svg = chartSvg(sample);
    const bars = [...svg.matchAll(/<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" fill="(#[0-9a-f]+)"><title>([^<]+)<\/title>/g)];
    expect(bars.map((b) => b[4])).toEqual(['2026-11-14: 2 patched', '2026-11-14: 1 rolled back', '2026-11-15: 1 failed']);
    const [patched, rolledBack, failed] = bars.map((b) => Number(b[2]));
    expect(patched).toBeCloseTo(2 * rolledBack!, 0);
    expect(failed).toBeCloseTo(rolledBack!, 0);
    expect(bars[0]![3]).toBe(OUTCOME_COLOUR.patched);
    // Stacked: the rolled-back segment sits right on top of the patched one.
    expect(Number(bars[1]![1]) + Number(bars[1]![2])).toBeCloseTo(Number(bars[0]![1]), 0);
    expect(svg).toContain('>14 Nov<');
    expect(svg).toContain('Patched (2)');
    expect(svg).not.toContain('Skipped (0)');
  });

  it('escapes the title and says when there is nothing to draw', () => {
    const svg = chartSvg(build([], 'Ops & <friends>'));
    expect(svg).toContain('Ops &amp; &lt;friends&gt;');
    expect(svg).toContain('No patch runs in this window');
  });

  it('rounds the axis to readable steps', () => {
    expect(axisScale(0)).toEqual({ top: 1, step: 1 });
    expect(axisScale(3)).toEqual({ top: 3, step: 1 });
    expect(axisScale(7)).toEqual({ top: 8, step: 2 });
    expect(axisScale(37)).toEqual({ top: 40, step: 10 });
    expect(axisScale(180)).toEqual({ top: 200, step: 50 });
    expect(dayLabel('2026-11-04')).toBe('4 Nov');
    expect(chartFilename(sample)).toBe('patch-window-2026-11-21.png');
  });
});

describe('chart PNG', () => {
  it('is a PNG of the canvas size at the chart zoom', async () => {
    const png = await chartPng(sample);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(pngSize(png)).toEqual({ width: CHART_WIDTH * CHART_ZOOM, height: CHART_HEIGHT * CHART_ZOOM });
    expect(png.length).toBeGreaterThan(5_000); // bars, axis and text were drawn, not an empty canvas
  }, 30_000);

  it('pngSize refuses what is not a PNG', () => {
    expect(pngSize(Buffer.from('GIF89a but longer than twenty-four bytes'))).toBeUndefined();
  });
});
