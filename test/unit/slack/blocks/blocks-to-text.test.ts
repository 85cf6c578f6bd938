import { describe, expect, it } from 'vitest';
import { blocksToText, mrkdwnToText, viewToText } from '../../../../src/slack/blocks/blocks-to-text.js';
import { buildRejectModal } from '../../../../src/slack/blocks/decision-modals.js';
import { escapeMrkdwn } from '../../../../src/slack/blocks/text.js';

describe('mrkdwnToText', () => {
  it('turns Slack tokens into readable text and keeps *bold* and mentions', () => {
    expect(mrkdwnToText('*Done* by <@U1> <!date^1715004300^{time}|2024-05-06 at 14:05 UTC>')).toBe('*Done* by <@U1> 2024-05-06 at 14:05 UTC');
    expect(mrkdwnToText('see <https://x.example/a|the docs> or <https://y.example>')).toBe('see the docs (https://x.example/a) or https://y.example');
    expect(mrkdwnToText('<!subteam^S1|ops> <!subteam^S2> <!here> <#C123|ops-alerts>')).toBe('@ops @S2 @here #ops-alerts');
    expect(mrkdwnToText(':white_check_mark: ok :unknown_emoji:')).toBe('✔ ok :unknown_emoji:');
  });

  it('decodes escaped user text last, so it comes out literally and is never read as a token', () => {
    const user = '<!date^1^x|fake> & <https://evil|click>';
    expect(mrkdwnToText(escapeMrkdwn(user))).toBe(user);
  });

  it('unwraps code blocks onto their own lines', () => {
    expect(mrkdwnToText('*Error*\n```boom\nline 2```')).toBe('*Error*\nboom\nline 2');
  });
});

describe('blocksToText', () => {
  it('renders every block kind', () => {
    const text = blocksToText([
      { type: 'header', text: { type: 'plain_text', text: 'Title' } },
      { type: 'section', text: { type: 'mrkdwn', text: 'Hello' }, fields: [{ type: 'mrkdwn', text: '*vm*\nweb-01' }, { type: 'mrkdwn', text: 'bare' }],
        accessory: { type: 'button', text: { type: 'plain_text', text: 'Open' }, action_id: 'o' } },
      { type: 'divider' },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'a' }, { type: 'image', image_url: 'x', alt_text: 'logo' }, { type: 'plain_text', text: 'b' }] },
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Approve' } }, { type: 'button', text: { type: 'plain_text', text: 'Reject' } }] },
      { type: 'input', label: { type: 'plain_text', text: 'Count' }, optional: true, element: { type: 'number_input', initial_value: '3' }, hint: { type: 'plain_text', text: 'A number' } },
      { type: 'rich_text', elements: [] },
      'not a block',
    ]);
    expect(text).toBe([
      'Title', '=====', 'Hello', 'vm: web-01', 'bare', '[Open]', '---', 'a · [image: logo] · b', '[Approve] [Reject]',
      'Count (optional): [3]', '  A number',
    ].join('\n'));
  });

  it('renders a modal with its title and buttons', () => {
    const text = viewToText(buildRejectModal({ executionId: 'E1', taskId: 'gate', flow: 'company.ops.patch' }));
    expect(text).toBe([
      'Reject gate', '===========', '`company.ops.patch` is waiting at step `gate`: reject?', 'Reason (optional): [ ]', '[Reject] [Cancel]',
    ].join('\n'));
  });
});
