import { describe, expect, it } from 'vitest';
import { fitLines, reportBlocks, reportCaption, vmLine } from '../../../src/reports/blocks.js';
import { buildReport } from '../../../src/reports/classify.js';
import { reportMarkdown } from '../../../src/reports/markdown.js';
import type { PatchReport, PatchRun } from '../../../src/reports/types.js';
import { blocksToText } from '../../../src/slack/blocks/blocks-to-text.js';
import { NOW, WINDOW, run } from './fixtures.js';

const pending = (vm: string, link: string | null = null) =>
  run({ vm, state: 'PAUSED', endedAt: null, createdAt: '2026-11-20T02:00:00.000Z', approvals: [{ id: `a-${vm}`, executionId: `exec-${vm}`, state: 'PENDING', decidedBy: null, decidedAt: null, votes: [], link }] });

function report(runs: PatchRun[], extra: Partial<PatchReport> = {}): PatchReport {
  return {
    ...buildReport(runs, {
      title: 'Patch window report',
      window: WINDOW,
      timezone: 'Europe/Paris',
      now: NOW,
      nextWindow: { at: '2026-11-28T01:00:00.000Z', description: 'At 02:00 on Saturday, Europe/Paris', flow: 'company.ops.nutanix-safe-patch' },
    }),
    ...extra,
  };
}

const sectionTexts = (blocks: ReturnType<typeof reportBlocks>['blocks']) =>
  blocks.flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : []));

describe('Block Kit report', () => {
  const sample = report([
    run({ vm: 'prod-web-01', approvals: [{ id: 'a', executionId: 'exec-prod-web-01', state: 'APPROVED', decidedBy: 'UBOB', decidedAt: null, votes: [{ user: 'UBOB', decision: 'APPROVE', at: '2026-11-14T01:06:00Z' }], link: null }], recoveryPoints: { created: ['rp-1'], deleted: ['rp-1'] } }),
    run({ vm: 'prod-db-01', state: 'FAILED', result: 'rolled_back', error: 'task `health` failed: HTTP 500' }),
    pending('prod-web-02', 'https://acme.slack.com/archives/C0OPS/p123'),
  ]);

  it('has a header, totals, one section per outcome, the next window and a footer', () => {
    const message = reportBlocks(sample);
    expect(message.blocks.map((b) => b.block_id)).toEqual(['title', 'summary', 'vms', 'outcome-patched', 'outcome-rolled_back', 'outcome-waiting', 'next', 'next-window', 'footer']);
    expect(message.text).toBe('Patch window report: 1 patched, 1 rolled back, 1 waiting for approval (3 VMs)');
    const [summary, patched, rolledBack, waiting, next] = sectionTexts(message.blocks);
    expect(summary).toContain('*3 VMs:* :white_check_mark: 1 patched · :leftwards_arrow_with_hook: 1 rolled back · :hourglass_flowing_sand: 1 waiting for approval');
    expect(summary).toContain('*Recovery points:* 1 created, 1 cleaned up');
    expect(patched).toBe('*:white_check_mark: Patched (1)*\n• `prod-web-01` · 12m 05s · approved by <@UBOB> · recovery points 1 created, 1 cleaned up');
    expect(rolledBack).toContain('— _task `health` failed: HTTP 500_');
    expect(waiting).toContain('• <https://acme.slack.com/archives/C0OPS/p123|prod-web-02> · waiting for 27h 00m');
    expect(waiting).toContain('requested by <@UALICE>');
    expect(next).toContain('At 02:00 on Saturday, Europe/Paris · `company.ops.nutanix-safe-patch`');
  });

  it('keeps every section within 3000 characters and the message within 50 blocks, counting what it leaves out', () => {
    const many = report(Array.from({ length: 400 }, (_, i) => run({ vm: `vm-${String(i).padStart(3, '0')}-${'x'.repeat(40)}`, executionId: `e${i}` })));
    const message = reportBlocks(many);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    for (const text of sectionTexts(message.blocks)) expect(text.length).toBeLessThanOrEqual(3000);
    const patched = sectionTexts(message.blocks).find((t) => t.startsWith('*:white_check_mark: Patched (400)*'))!;
    const shown = patched.split('\n').filter((l) => l.startsWith('• ')).length;
    expect(patched).toMatch(new RegExp(`\\n…and ${400 - shown} more$`));
    expect(shown).toBeGreaterThan(20);
  });

  it('fitLines reserves room for the "more" line and adds it only when lines were left out', () => {
    expect(fitLines('head', ['a', 'b'], 100)).toBe('head\na\nb');
    const text = fitLines('head', ['a'.repeat(40), 'b'.repeat(40), 'c'.repeat(40)], 100);
    expect(text.length).toBeLessThanOrEqual(100);
    expect(text).toBe(`head\n${'a'.repeat(40)}\n${'b'.repeat(40)}\n…and 1 more`);
  });

  it('shows values from flows as text, never as Slack markup', () => {
    const line = vmLine(report([run({ vm: '<!channel> web', state: 'FAILED', error: 'boom <https://evil|click>' })]).vms[0]!);
    expect(line).toContain('`&lt;!channel&gt; web`');
    expect(line).toContain('boom &lt;https://evil|click&gt;');
    expect(line).not.toContain('<!channel>');
  });

  it('says so when the window had no runs, and reads in the shell', () => {
    const message = reportBlocks(report([]));
    expect(message.text).toBe('Patch window report: no patch runs (0 VMs)');
    expect(message.blocks.map((b) => b.block_id)).toEqual(['title', 'summary', 'next', 'next-window', 'footer']);
    expect(blocksToText(message.blocks)).toContain('no patch runs in this window');
  });

  it('the caption carries the same sections as one text', () => {
    const caption = reportCaption(sample);
    expect(caption.startsWith('*Patch window report*\n*Window:*')).toBe(true);
    expect(caption).toContain('prod-web-02');
    expect(reportCaption(report(Array.from({ length: 400 }, (_, i) => run({ vm: `vm-${i}` }))), 500).length).toBeLessThanOrEqual(500);
  });
});

describe('Markdown report', () => {
  it('lists every VM in a table per outcome, with totals and the next window', () => {
    const md = reportMarkdown(report([
      run({ vm: 'web|01', recoveryPoints: { created: ['rp'], deleted: [] } }),
      run({ vm: 'db-01', state: 'FAILED', error: 'line one\nline two' }),
      pending('web-02', 'https://acme.slack.com/archives/C0OPS/p1'),
    ]));
    expect(md).toContain('# Patch window report\n\nWindow: 13 Nov 2026 06:00 → 21 Nov 2026 06:00 (Europe/Paris)');
    expect(md).toContain('**3 VMs**: 1 patched, 1 failed, 1 waiting for approval');
    expect(md).toContain('## Patched (1)\n\n| VM | Duration | Approved by | Recovery points | Run | Note |');
    expect(md).toContain('| web\\|01 | 12m 05s | — | 1 created, 0 cleaned up | company.ops.nutanix-safe-patch exec-web|01 | — |'.replace('exec-web|01', 'exec-web\\|01'));
    expect(md).toContain('| db-01 | 12m 05s | — | — | company.ops.nutanix-safe-patch exec-db-01 | line one line two |');
    expect(md).toContain('| [web-02](https://acme.slack.com/archives/C0OPS/p1) | for 27h 00m');
    expect(md).toContain('Next window: Sat 28 Nov 2026 02:00 (Europe/Paris) — At 02:00 on Saturday, Europe/Paris (company.ops.nutanix-safe-patch)');
  });
});
