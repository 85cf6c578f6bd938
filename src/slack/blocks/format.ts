/**
 * Formatting of states, times and durations shared by the message builders. Pure: "now" is
 * always passed in, so a status message rendered twice from the same rows is the same message.
 */

/** Emoji per execution / task run state (Kestra's names). Unknown states get a neutral mark. */
export const STATE_EMOJI: Readonly<Record<string, string>> = {
  CREATED: ':white_circle:',
  QUEUED: ':white_circle:',
  RUNNING: ':arrows_counterclockwise:',
  PAUSED: ':double_vertical_bar:',
  RETRYING: ':repeat:',
  SUCCESS: ':white_check_mark:',
  WARNING: ':warning:',
  FAILED: ':x:',
  KILLING: ':hourglass_flowing_sand:',
  KILLED: ':no_entry_sign:',
  SKIPPED: ':fast_forward:',
};

/** The same marks for a terminal, used by blocksToText. */
export const EMOJI_TEXT: Readonly<Record<string, string>> = {
  ':white_circle:': '○',
  ':arrows_counterclockwise:': '↻',
  ':double_vertical_bar:': '⏸',
  ':repeat:': '↻',
  ':white_check_mark:': '✔',
  ':warning:': '⚠',
  ':x:': '✘',
  ':hourglass_flowing_sand:': '⌛',
  ':hourglass:': '⌛',
  ':no_entry_sign:': '⊘',
  ':fast_forward:': '»',
  ':raised_hand:': '✋',
  ':bell:': '🔔',
  ':ballot_box_with_check:': '☑',
  ':grey_question:': '?',
  ':inbox_tray:': '»',
  ':gear:': '⚙',
};

export function stateEmoji(state: string): string {
  return STATE_EMOJI[state] ?? ':grey_question:';
}

const TERMINAL = new Set(['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'SKIPPED', 'CANCELLED']);
export const isEnded = (state: string): boolean => TERMINAL.has(state);

/** 850ms, 12s, 2m 05s, 1h 02m: precise enough to compare runs, short enough for one line. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${pad(seconds % 60)}s`;
  return `${Math.floor(seconds / 3600)}h ${pad(Math.floor((seconds % 3600) / 60))}m`;
}

/** Duration between two ISO timestamps; `end` missing means still going, measured to `now`. */
export function elapsed(start: string | null | undefined, end: string | null | undefined, now: Date): string | undefined {
  if (!start) return undefined;
  const from = Date.parse(start);
  const to = end ? Date.parse(end) : now.getTime();
  return Number.isNaN(from) || Number.isNaN(to) ? undefined : formatDuration(to - from);
}

/** `2024-01-02 14:05 UTC`: the fallback when Slack cannot localise a date. */
export function utcText(iso: string): string | undefined {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return undefined;
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * A date Slack shows in each reader's own time zone ("today at 2:05 PM"); terminals and old
 * clients see the UTC fallback after the `|`. Unparseable input yields undefined.
 */
export function slackDate(iso: string | null | undefined): string | undefined {
  if (!iso) return undefined;
  const text = utcText(iso);
  if (text === undefined) return undefined;
  const fallback = text.replace(' ', ' at '); // reads like the localised form: 2024-01-02 at 14:05 UTC
  return `<!date^${Math.floor(Date.parse(iso) / 1000)}^{date_short_pretty} at {time}|${fallback}>`;
}
