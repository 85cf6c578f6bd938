import { buildReport } from './classify.js';
import { givenNextWindow, nextWindowOf } from './next-window.js';
import type { PatchReportSource } from './ports.js';
import type { PatchReport, ScheduleInfo } from './types.js';
import { checkTimezone, resolveWindow } from './window.js';

/**
 * One report from a request, as the PatchWindow task, `/flow report` and tests ask for it:
 * schedules first (they give the next window and, unless told, the time zone days are
 * counted in), then the window, then the runs. I/O only through the source.
 */
export const DEFAULT_TITLE = 'Patch window report';

export interface PatchReportRequest {
  /** ISO instant or duration back from `until` (P7D); default: `previousFire`, else 7 days. */
  since?: string | undefined;
  /** ISO instant or duration back from now; default: now. */
  until?: string | undefined;
  /** Flow ids or globs; default: every flow whose runs name a VM. */
  flows?: readonly string[] | undefined;
  namespace?: string | undefined;
  title?: string | undefined;
  /** Days of the chart and dates without an offset are read in it; default: the next window's schedule zone, else UTC. */
  timezone?: string | undefined;
  /** Overrides the schedules: an instant or free text. */
  nextWindow?: string | undefined;
  /** `trigger.previous` of the scheduled run that asks for the report. */
  previousFire?: string | undefined;
}

const clean = (list: readonly string[] | undefined): string[] => (list ?? []).map((f) => f.trim()).filter((f) => f !== '');

export async function collectPatchReport(source: PatchReportSource, request: PatchReportRequest, now: Date): Promise<PatchReport> {
  const flows = clean(request.flows);
  const namespace = request.namespace?.trim() || undefined;
  const scope = { ...(flows.length ? { flows } : {}), ...(namespace ? { namespace } : {}) };
  const explicitZone = request.timezone?.trim() ? checkTimezone(request.timezone.trim()) : undefined;
  const given = request.nextWindow?.trim();

  let schedules: ScheduleInfo[] = [];
  if (!given || !explicitZone) schedules = await source.schedules(scope);
  const computed = nextWindowOf(schedules, now);
  const zone = explicitZone ?? scheduleZone(schedules, computed?.flow) ?? 'UTC';
  const nextWindow = given ? givenNextWindow(given, zone) : computed;

  const window = resolveWindow({ since: request.since, until: request.until, previousFire: request.previousFire, timezone: zone }, now);
  const { runs, truncated } = await source.runs({ since: new Date(window.since), until: new Date(window.until), ...scope });
  return buildReport(runs, {
    title: request.title?.trim() || DEFAULT_TITLE,
    window,
    timezone: zone,
    now,
    nextWindow,
    truncated,
  });
}

/** The zone of the schedule that gives the next window, else the one zone all schedules share. */
function scheduleZone(schedules: readonly ScheduleInfo[], flow: string | undefined): string | undefined {
  const chosen = schedules.find((s) => s.flow === flow && s.timezone)?.timezone;
  if (chosen) return chosen;
  const zones = new Set(schedules.map((s) => s.timezone ?? 'UTC'));
  return zones.size === 1 ? [...zones][0] : undefined;
}
