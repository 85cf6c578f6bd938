import { isSlackUserId } from '../blocks/text.js';
import { type WebClient, slackErrorName } from './client.js';

/**
 * Who is who in the workspace, as approvals need it: flows name approvers by Slack user id or
 * e-mail and groups by user-group handle or id; Slack mentions, DMs and membership checks need
 * ids. Answers are cached (a reminder or a click should not cost a lookup each time) and
 * concurrent lookups of the same key share one request. Used by the notifier and by the
 * click handlers (`isMember`, `isAssignee`).
 */
export interface DirectoryOptions {
  /** How long an answer is reused (default 5 minutes): group membership changes slowly. */
  ttlMs?: number;
  clock?: () => Date;
}

interface Entry<T> {
  value: Promise<T>;
  expires: number;
}

export class SlackDirectory {
  private readonly cache = new Map<string, Entry<unknown>>();
  private readonly ttlMs: number;
  private readonly clock: () => Date;

  constructor(private readonly client: WebClient, options: DirectoryOptions = {}) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.clock = options.clock ?? (() => new Date());
  }

  /** A user id for an id or an e-mail; undefined for anything Slack does not know. */
  async userId(idOrEmail: string): Promise<string | undefined> {
    const value = idOrEmail.trim();
    if (isSlackUserId(value)) return value;
    if (!value.includes('@') || value.startsWith('@')) return undefined;
    return this.cached(`email:${value.toLowerCase()}`, async () => {
      try {
        const answer = await this.client.users.lookupByEmail({ email: value });
        return answer.user?.id;
      } catch (error) {
        if (slackErrorName(error) === 'users_not_found') return undefined;
        throw error;
      }
    });
  }

  /** A user-group id (S…) for an id or a handle (with or without `@`). */
  async groupId(handleOrId: string): Promise<string | undefined> {
    const value = handleOrId.trim().replace(/^@/, '');
    if (/^S[A-Z0-9]{2,}$/.test(value)) return value;
    const groups = await this.cached('usergroups', async () => {
      const answer = await this.client.usergroups.list({});
      return (answer.usergroups ?? []).map((group) => ({ id: group.id ?? '', handle: group.handle ?? '' }));
    });
    return groups.find((group) => group.handle.toLowerCase() === value.toLowerCase())?.id;
  }

  /** Members of a group given by handle or id; none when the group does not exist. */
  async groupMembers(handleOrId: string): Promise<string[]> {
    const id = await this.groupId(handleOrId);
    if (!id) return [];
    return this.cached(`members:${id}`, async () => {
      try {
        return (await this.client.usergroups.users.list({ usergroup: id })).users ?? [];
      } catch (error) {
        if (slackErrorName(error) === 'no_such_subteam') return [];
        throw error;
      }
    });
  }

  async isMember(user: string, group: string): Promise<boolean> {
    return (await this.groupMembers(group)).includes(user);
  }

  /** Whether a Slack user is one of the named users (ids or e-mails) or in one of the groups. */
  async isAssignee(user: string, assignment: { users: readonly string[]; groups: readonly string[] }): Promise<boolean> {
    for (const entry of assignment.users) if ((await this.userId(entry)) === user) return true;
    for (const group of assignment.groups) if (await this.isMember(user, group)) return true;
    return false;
  }

  /** Every person an approval names, as user ids, directly or through a group; unknown names are left out. */
  async assignees(users: readonly string[], groups: readonly string[]): Promise<string[]> {
    const ids = new Set<string>();
    for (const entry of users) {
      const id = await this.userId(entry);
      if (id) ids.add(id);
    }
    for (const group of groups) for (const member of await this.groupMembers(group)) ids.add(member);
    return [...ids];
  }

  /** The bot's DM channel with a user (conversations.open is idempotent; the answer is kept). */
  async dmChannel(userId: string): Promise<string> {
    return this.cached(`dm:${userId}`, async () => {
      const answer = await this.client.conversations.open({ users: userId });
      const id = answer.channel?.id;
      if (!id) throw new Error(`conversations.open gave no channel for ${userId}`);
      return id;
    });
  }

  /** Forgets everything (tests, or after a workspace change). */
  clear(): void {
    this.cache.clear();
  }

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = this.clock().getTime();
    const hit = this.cache.get(key) as Entry<T> | undefined;
    if (hit && hit.expires > now) return hit.value;
    const value = load();
    this.cache.set(key, { value, expires: now + this.ttlMs });
    // A failed lookup (rate limit, network) is not remembered: the next caller tries again.
    value.catch(() => {
      if (this.cache.get(key)?.value === value) this.cache.delete(key);
    });
    return value;
  }
}
