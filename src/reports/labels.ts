import { formatDuration } from '../slack/blocks/format.js';
import type { Outcome, PatchReport, VmEntry } from './types.js';
import { OUTCOMES } from './types.js';

/**
 * Words, marks and colours of each outcome, shared by the Block Kit, Markdown and chart
 * renderers so the three always say the same thing. Emoji are ones the shell maps to text
 * (src/slack/blocks/format.ts EMOJI_TEXT) where one exists.
 */
export const OUTCOME_LABEL: Readonly<Record<Outcome, string>> = {
  patched: 'Patched',
  rolled_back: 'Rolled back',
  failed: 'Failed',
  skipped: 'Skipped',
  waiting: 'Waiting for approval',
  running: 'Still running',
};

export const OUTCOME_EMOJI: Readonly<Record<Outcome, string>> = {
  patched: ':white_check_mark:',
  rolled_back: ':leftwards_arrow_with_hook:',
  failed: ':x:',
  skipped: ':fast_forward:',
  waiting: ':hourglass_flowing_sand:',
  running: ':arrows_counterclockwise:',
};

/** Chart fills: green, amber, red, grey, blue, violet (distinguishable in the common colour blindnesses by lightness too). */
export const OUTCOME_COLOUR: Readonly<Record<Outcome, string>> = {
  patched: '#2e9d57',
  rolled_back: '#e0a100',
  failed: '#d23c3c',
  skipped: '#9aa3ad',
  waiting: '#3b7dd8',
  running: '#8e6bc4',
};

/** "9 patched, 1 rolled back, 1 waiting for approval": non-zero outcomes only, in OUTCOMES order. */
export function totalsPhrase(report: PatchReport): string {
  const parts = OUTCOMES.filter((o) => report.totals[o] > 0).map((o) => `${report.totals[o]} ${OUTCOME_LABEL[o].toLowerCase()}`);
  return parts.length ? parts.join(', ') : 'no patch runs';
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** "1 created, 1 cleaned up" or "" when the run made none. */
export function recoveryPhrase(entry: VmEntry): string {
  const { created, cleanedUp } = entry.recoveryPoints;
  if (created.length === 0 && cleanedUp.length === 0) return '';
  return `${created.length} created, ${cleanedUp.length} cleaned up`;
}

/** Duration as a person reads it; a run still waiting says for how long. */
export function durationPhrase(entry: VmEntry): string {
  if (entry.durationMs === null) return '';
  const text = formatDuration(entry.durationMs);
  return entry.endedAt ? text : `for ${text}`;
}
