import { OUTCOME_LABEL, durationPhrase, plural, recoveryPhrase, totalsPhrase } from './labels.js';
import { OUTCOMES, type PatchReport, type VmEntry } from './types.js';
import { windowText, zonedText } from './window.js';

/**
 * The report as Markdown (CommonMark tables): the task's `markdown` output, the shell's
 * `/flow report`, and anything a flow forwards elsewhere (a ticket, an e-mail). Complete,
 * unlike the Slack message: every VM is listed. Pure.
 */

/** Table cell text: pipes and line breaks would end the cell or the row. */
export function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').trim() || '—';
}

const when = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

function row(entry: VmEntry): string {
  const note = entry.note ? entry.note.slice(0, 200) : '';
  const vm = entry.link ? `[${cell(entry.vm).replace(/[[\]]/g, '\\$&')}](${entry.link.replace(/[()\s]/g, encodeURIComponent)})` : cell(entry.vm);
  return `| ${[
    vm,
    cell(durationPhrase(entry)),
    cell(entry.approvedBy.join(', ')),
    cell(recoveryPhrase(entry)),
    cell(`${entry.flow} ${entry.executionId}${entry.runs > 1 ? ` (${entry.runs} runs)` : ''}`),
    cell(note),
  ].join(' | ')} |`;
}

export function reportMarkdown(report: PatchReport): string {
  const t = report.totals;
  const out: string[] = [`# ${cell(report.title)}`, '', `Window: ${windowText(report.window, report.timezone)}`, ''];
  out.push(`**${plural(t.vms, 'VM')}**: ${totalsPhrase(report)}${t.runs !== t.vms ? ` (${plural(t.runs, 'run')})` : ''}`);
  if (t.recoveryPointsCreated || t.recoveryPointsCleanedUp) {
    out.push('', `Recovery points: ${t.recoveryPointsCreated} created, ${t.recoveryPointsCleanedUp} cleaned up`);
  }
  for (const outcome of OUTCOMES) {
    const entries = report.vms.filter((v) => v.outcome === outcome);
    if (entries.length === 0) continue;
    out.push('', `## ${OUTCOME_LABEL[outcome]} (${entries.length})`, '');
    out.push('| VM | Duration | Approved by | Recovery points | Run | Note |', '| --- | --- | --- | --- | --- | --- |');
    for (const entry of entries) out.push(row(entry));
  }
  const next = report.nextWindow;
  out.push('');
  if (next) {
    const at = next.at ? `${zonedText(next.at, report.timezone, true)} (${report.timezone}) — ` : '';
    out.push(`Next window: ${at}${next.description}${next.flow ? ` (${next.flow})` : ''}`);
  } else {
    out.push('Next window: none scheduled');
  }
  if (report.truncated) out.push('', '_Too many runs in this window: the oldest were left out._');
  out.push('', `_Generated ${when(report.generatedAt)}_`);
  return `${out.join('\n')}\n`;
}
