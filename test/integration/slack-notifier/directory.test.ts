import { LogLevel, webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackDirectory } from '../../../src/slack/notifier/index.js';
import { type SlackEmulator, startSlackEmulator } from '../../support/slack/index.js';

/** The directory approvals and click handlers share: ids, e-mails, group handles, membership, caching. */
describe('slack notifier: directory', () => {
  let slack: SlackEmulator;
  let directory: SlackDirectory;
  let now = Date.parse('2025-01-01T00:00:00Z');
  beforeAll(async () => {
    slack = await startSlackEmulator({
      users: [
        { id: 'UBOB', name: 'bob', email: 'bob@example.com' },
        { id: 'UDAVE', name: 'dave' },
      ],
      userGroups: [{ id: 'S0OPS', handle: 'ops', users: ['UDAVE'] }],
    });
    const client = new webApi.WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR });
    directory = new SlackDirectory(client, { ttlMs: 60_000, clock: () => new Date(now) });
  });
  afterAll(async () => slack.close());

  it('resolves user ids, e-mails and group handles, and caches the answers', async () => {
    expect(await directory.userId('UBOB')).toBe('UBOB');
    expect(await Promise.all([directory.userId('Bob@Example.com'), directory.userId('bob@example.com')])).toEqual(['UBOB', 'UBOB']);
    expect(await directory.userId('nobody@example.com')).toBeUndefined();
    expect(await directory.userId('@bob')).toBeUndefined();
    expect(await directory.groupId('@ops')).toBe('S0OPS');
    expect(await directory.groupMembers('ops')).toEqual(['UDAVE']);
    expect(await directory.isMember('UDAVE', 'S0OPS')).toBe(true);
    expect(await directory.isMember('UBOB', 'ops')).toBe(false);
    expect(await directory.groupMembers('nope')).toEqual([]);
    expect(await directory.assignees(['bob@example.com', 'ghost'], ['ops'])).toEqual(['UBOB', 'UDAVE']);
    expect(await directory.isAssignee('UBOB', { users: ['bob@example.com'], groups: [] })).toBe(true);
    expect(await directory.isAssignee('UDAVE', { users: ['UBOB'], groups: ['@ops'] })).toBe(true);
    expect(await directory.dmChannel('UBOB')).toBe('DBOB');
    expect(await directory.dmChannel('UBOB')).toBe('DBOB');
    // One request per key while the answer is fresh.
    expect(slack.callsTo('users.lookupByEmail').map((c) => c.args.email)).toEqual(['Bob@Example.com', 'nobody@example.com']);
    expect(slack.callsTo('usergroups.list')).toHaveLength(1);
    expect(slack.callsTo('usergroups.users.list')).toHaveLength(1);
    expect(slack.callsTo('conversations.open')).toHaveLength(1);
  });

  it('asks again once an answer is stale, and forgets failed lookups', async () => {
    slack.addUserGroup({ id: 'S0OPS', handle: 'ops', users: ['UDAVE', 'UBOB'] });
    expect(await directory.isMember('UBOB', 'ops')).toBe(false);
    now += 61_000;
    expect(await directory.isMember('UBOB', 'ops')).toBe(true);
    slack.failNext('users.lookupByEmail', 'internal_error');
    await expect(directory.userId('carol@example.com')).rejects.toThrow();
    slack.addUser({ id: 'UCAROL', name: 'carol', email: 'carol@example.com' });
    expect(await directory.userId('carol@example.com')).toBe('UCAROL');
  });
});
