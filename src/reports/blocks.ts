import { slackDate, utcText } from '../slack/blocks/format.js';
import type { KnownBlock, Message } from '../slack/blocks/slack-types.js';
import { LIMITS, code, mrkdwn, plain, safeText, truncate, userRef } from '../slack/blocks/text.js';
import { OUTCOME_EMOJI, OUTCOME_LABEL, durationPhrase, plural, recoveryPhrase, totalsPhrase } from './labels.js';
import { OUTCOMES, type Outcome, type PatchReport, type VmEntry } from './types.js';
import { windowText } from './window.js';

/**
 * The report as a Slack message: header, window and totals, one section per outcome that
 * occurred (VMs with duration, approvers, recovery points; waiting ones linked to their
 * approval when the notifier posted one), the next window, and a context footer. Pure.
 *
 * Limits: a section's text is at most 3000 characters, so each outcome lists as many VMs as
 * fit and ends with "…and N more"; at most 6 outcome sections plus 6 fixed blocks stay far
 * below the 50-block ceiling (still enforced). Every value from a flow passes through
 * safeText / code, so a VM named `<!channel>` is shown, not executed.
 */
const MAX_APPROVERS = 5;
const NOTE_MAX = 160;

const SAFE_URL = /^https?:\/\/[^\s<>|]+$/;

function vmLabel(entry: VmEntry): string {
  if (entry.link && SAFE_URL.test(entry.link)) return `<${entry.link}|${safeText(entry.vm, 80)}>`;
  return code(entry.vm, 80);
}

/** One bullet: the VM and what a reader checks first for its outcome. */
export function vmLine(entry: VmEntry): string {
  const parts = [vmLabel(entry)];
  const duration = durationPhrase(entry);
  if (duration) parts.push(entry.outcome === 'waiting' ? `waiting ${duration}` : duration);
  if (entry.approvedBy.length) {
    const shown = entry.approvedBy.slice(0, MAX_APPROVERS).map(userRef).join(', ');
    const more = entry.approvedBy.length - MAX_APPROVERS;
    parts.push(`approved by ${shown}${more > 0 ? ` +${more}` : ''}`);
  } else if (entry.outcome === 'waiting') {
    parts.push(`requested by ${userRef(entry.requestedBy)}`);
  }
  const recovery = recoveryPhrase(entry);
  if (recovery) parts.push(`recovery points ${recovery}`);
  if (entry.runs > 1) parts.push(`${entry.runs} runs`);
  let line = `• ${parts.join(' · ')}`;
  if (entry.note && entry.outcome !== 'patched') line += ` — _${safeText(entry.note.replace(/[_\n]+/g, ' '), NOTE_MAX)}_`;
  return line;
}

/**
 * `head` then as many `lines` as fit in `max` characters; the rest is counted in a last
 * "…and N more" line, whose room is kept free while lines remain.
 */
export function fitLines(head: string, lines: readonly string[], max: number = LIMITS.sectionText): string {
  let text = head;
  let shown = 0;
  for (const line of lines) {
    const left = lines.length - shown - 1;
    const reserve = left > 0 ? `\n…and ${lines.length} more`.length : 0;
    if (text.length + 1 + line.length + reserve > max) break;
    text += `\n${line}`;
    shown += 1;
  }
  if (shown < lines.length) text += `\n…and ${lines.length - shown} more`;
  return text;
}

function outcomeSection(outcome: Outcome, entries: readonly VmEntry[]): KnownBlock {
  const head = `*${OUTCOME_EMOJI[outcome]} ${OUTCOME_LABEL[outcome]} (${entries.length})*`;
  return { type: 'section', block_id: `outcome-${outcome}`, text: mrkdwn(fitLines(head, entries.map(vmLine))) };
}

function summaryText(report: PatchReport): string {
  const t = report.totals;
  const counts = OUTCOMES.filter((o) => t[o] > 0).map((o) => `${OUTCOME_EMOJI[o]} ${t[o]} ${OUTCOME_LABEL[o].toLowerCase()}`);
  const lines = [
    `*Window:* ${safeText(windowText(report.window, report.timezone), 300)}`,
    `*${plural(t.vms, 'VM')}:* ${counts.length ? counts.join(' · ') : 'no patch runs in this window'}`,
  ];
  if (t.recoveryPointsCreated || t.recoveryPointsCleanedUp) {
    lines.push(`*Recovery points:* ${t.recoveryPointsCreated} created, ${t.recoveryPointsCleanedUp} cleaned up`);
  }
  return lines.join('\n');
}

function nextWindowText(report: PatchReport): string {
  const next = report.nextWindow;
  if (!next) return '*Next window:* none scheduled';
  const when = next.at ? (slackDate(next.at) ?? next.at) : undefined;
  const parts = [when, safeText(next.description, 500), next.flow ? code(next.flow, 200) : undefined].filter(Boolean);
  return `*Next window:* ${parts.join(' · ')}`;
}

function footer(report: PatchReport): string {
  const source = { given: 'window as asked', trigger: 'since the previous scheduled window', default: 'last 7 days' }[report.window.sinceSource];
  const parts = [`Generated ${slackDate(report.generatedAt) ?? utcText(report.generatedAt) ?? report.generatedAt}`, plural(report.totals.runs, 'run'), source];
  if (report.truncated) parts.push(':warning: too many runs: the oldest were left out');
  return parts.join(' · ');
}

export function reportBlocks(report: PatchReport): Message {
  const blocks: KnownBlock[] = [
    { type: 'header', block_id: 'title', text: plain(report.title, LIMITS.header) },
    { type: 'section', block_id: 'summary', text: mrkdwn(summaryText(report)) },
  ];
  const present = OUTCOMES.filter((o) => report.totals[o] > 0);
  if (present.length) blocks.push({ type: 'divider', block_id: 'vms' });
  for (const outcome of present) blocks.push(outcomeSection(outcome, report.vms.filter((v) => v.outcome === outcome)));
  blocks.push({ type: 'divider', block_id: 'next' });
  blocks.push({ type: 'section', block_id: 'next-window', text: mrkdwn(nextWindowText(report)) });
  blocks.push({ type: 'context', block_id: 'footer', elements: [mrkdwn(footer(report), LIMITS.contextText)] });
  const text = truncate(`${report.title}: ${totalsPhrase(report)} (${plural(report.totals.vms, 'VM')})`, LIMITS.messageText);
  return { text, blocks: blocks.slice(0, LIMITS.messageBlocks) };
}

/**
 * The report as one mrkdwn text: the caption of the chart where a surface shares the PNG as a
 * file (the message's blocks cannot travel with a file upload), and the message's fallback.
 */
export function reportCaption(report: PatchReport, max: number = LIMITS.messageText): string {
  const sections = reportBlocks(report).blocks.flatMap((block) => (block.type === 'section' && block.text ? [block.text.text] : []));
  return truncate([`*${safeText(report.title, LIMITS.header)}*`, ...sections].join('\n'), max);
}
