import { describe, expect, it } from 'vitest';
import { elapsed, formatDuration, slackDate, stateEmoji } from '../../../../src/slack/blocks/format.js';
import { code, codeBlock, escapeMrkdwn, groupRef, safeText, showValue, truncate, userRef } from '../../../../src/slack/blocks/text.js';

describe('escapeMrkdwn', () => {
  it('neutralises Slack control characters so values cannot ping or link', () => {
    expect(escapeMrkdwn('<!channel> & <https://evil.example|click> <@U123>')).toBe(
      '&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt; &lt;@U123&gt;',
    );
  });
  it('leaves formatting characters alone (they cannot do harm)', () => {
    expect(escapeMrkdwn('*bold* _it_ ~s~')).toBe('*bold* _it_ ~s~');
  });
});

describe('truncate', () => {
  it('keeps short text and cuts long text to the limit with an ellipsis', () => {
    expect(truncate('short', 10)).toBe('short');
    const cut = truncate('x'.repeat(200), 150);
    expect(cut).toHaveLength(150);
    expect(cut.endsWith('…')).toBe(true);
  });
  it('never leaves half of an emoji', () => {
    const cut = truncate(`ab${'😀'.repeat(10)}`, 4);
    expect(cut).toBe('ab…');
  });
});

describe('safeText', () => {
  it('escapes and truncates without splitting an entity', () => {
    const text = safeText(`${'a'.repeat(8)}<<<<`, 12);
    expect(text.length).toBeLessThanOrEqual(12);
    expect(text).toMatch(/^a{8}(&lt;)*…$/);
  });
});

describe('code and codeBlock', () => {
  it('keeps a backtick in a value from closing the code span', () => {
    expect(code('a`b<c')).toBe('`aˋb&lt;c`');
  });
  it('keeps the newest lines when a code block is cut from the start', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `line ${i} <x>`).join('\n');
    const block = codeBlock(lines, 300, true);
    expect(block.length).toBeLessThanOrEqual(306);
    expect(block).toContain('line 499 &lt;x&gt;```');
    expect(block).not.toContain('line 0 ');
    expect(block).toMatch(/^```…line \d+ /); // starts at a whole line, not inside an entity
  });
  it('cannot be closed early by a value containing a fence', () => {
    expect(codeBlock('a```b')).toBe('```aˋˋˋb```');
  });
});

describe('people and values', () => {
  it('mentions Slack user ids and shows anything else as escaped text', () => {
    expect(userRef('U012ABC')).toBe('<@U012ABC>');
    expect(userRef('W012ABC')).toBe('<@W012ABC>');
    expect(userRef('alice')).toBe('alice');
    expect(userRef('<!here>')).toBe('&lt;!here&gt;');
  });
  it('mentions user groups by id, handles as text', () => {
    expect(groupRef('S0123ABC')).toBe('<!subteam^S0123ABC>');
    expect(groupRef('@platform-oncall')).toBe('@platform-oncall');
  });
  it('shows values readably', () => {
    expect(showValue('x')).toBe('x');
    expect(showValue(null)).toBe('—');
    expect(showValue([1, 'a'])).toBe('[1,"a"]');
    expect(showValue(true)).toBe('true');
  });
});

describe('format', () => {
  it('formats durations', () => {
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(12_000)).toBe('12s');
    expect(formatDuration(125_000)).toBe('2m 05s');
    expect(formatDuration(3_720_000)).toBe('1h 02m');
    expect(elapsed('2024-01-01T00:00:00Z', null, new Date('2024-01-01T00:00:30Z'))).toBe('30s');
    expect(elapsed(null, null, new Date())).toBeUndefined();
  });
  it('writes dates Slack localises, with a UTC fallback', () => {
    expect(slackDate('2024-05-06T14:05:00Z')).toBe('<!date^1715004300^{date_short_pretty} at {time}|2024-05-06 at 14:05 UTC>');
    expect(slackDate('not a date')).toBeUndefined();
  });
  it('has an emoji for every state and a neutral one for others', () => {
    for (const state of ['CREATED', 'RUNNING', 'PAUSED', 'SUCCESS', 'WARNING', 'FAILED', 'KILLING', 'KILLED', 'SKIPPED', 'RETRYING']) {
      expect(stateEmoji(state)).not.toBe(':grey_question:');
    }
    expect(stateEmoji('WHATEVER')).toBe(':grey_question:');
  });
});
