/**
 * The workspace directory: users, user groups and DM channels. Approver checks in the bot resolve
 * handles and e-mails through these methods, so they answer with Slack's shapes and error names.
 */
import { type Args, type MethodResult, type SlackTestDefaults, fail, str } from './defaults.js';
import type { MethodHandler } from './api.js';

export interface UserFixture {
  id: string;
  name: string;
  email?: string;
  isBot?: boolean;
  realName?: string;
  tz?: string;
}

export interface UserGroupFixture {
  id: string;
  handle: string;
  users: string[];
  name?: string;
}

export class Directory {
  readonly users = new Map<string, UserFixture>();
  readonly groups = new Map<string, UserGroupFixture>();
  /** user id (or sorted id list for group DMs) → D…/G… channel, stable for the emulator's life. */
  private readonly dms = new Map<string, string>();

  constructor(private readonly ids: SlackTestDefaults, private readonly strictUsers: boolean) {}

  addUser(user: UserFixture): void {
    this.users.set(user.id, user);
  }

  addUserGroup(group: UserGroupFixture): void {
    this.groups.set(group.id, group);
  }

  /** A user id the emulator would accept: any U…/W… id, or only fixture users when strict. */
  knowsUser(id: string): boolean {
    return this.strictUsers ? this.users.has(id) : /^[UW][A-Z0-9]+$/.test(id);
  }

  /** The DM channel with a user (Slack gives each bot/user pair one stable D… id). */
  dmChannel(userId: string): string {
    let channel = this.dms.get(userId);
    if (!channel) {
      channel = `D${userId.replace(/^[UW]/, '')}`;
      this.dms.set(userId, channel);
    }
    return channel;
  }

  /** Channel ids accepted by chat methods. A user id posts into the DM, as Slack does for bots. */
  resolveChannel(channel: string | undefined): string | undefined {
    if (!channel) return undefined;
    if (/^[CGD][A-Z0-9]+$/.test(channel)) return channel;
    if (/^[UW][A-Z0-9]+$/.test(channel) && this.knowsUser(channel)) return this.dmChannel(channel);
    return undefined;
  }

  userObject(user: UserFixture): Args {
    const realName = user.realName ?? user.name;
    return {
      id: user.id,
      team_id: this.ids.teamId,
      name: user.name,
      real_name: realName,
      deleted: false,
      is_bot: user.isBot ?? false,
      is_app_user: false,
      tz: user.tz ?? 'Europe/Paris',
      profile: { real_name: realName, display_name: user.name, ...(user.email ? { email: user.email } : {}) },
    };
  }

  groupObject(group: UserGroupFixture, includeUsers: boolean): Args {
    return {
      id: group.id,
      team_id: this.ids.teamId,
      is_usergroup: true,
      handle: group.handle,
      name: group.name ?? group.handle,
      user_count: group.users.length,
      ...(includeUsers ? { users: [...group.users] } : {}),
    };
  }

  methods(): Record<string, MethodHandler> {
    return {
      'auth.test': () => ({
        url: `https://${this.ids.teamDomain}.slack.com/`,
        team: this.ids.teamName,
        user: this.ids.botName,
        team_id: this.ids.teamId,
        user_id: this.ids.botUserId,
        bot_id: this.ids.botId,
        is_enterprise_install: false,
      }),
      'users.info': (args) => {
        const user = this.users.get(str(args, 'user') ?? '');
        return user ? { user: this.userObject(user) } : fail('user_not_found');
      },
      'users.lookupByEmail': (args) => {
        const email = str(args, 'email')?.toLowerCase();
        const user = [...this.users.values()].find((u) => u.email?.toLowerCase() === email);
        return user ? { user: this.userObject(user) } : fail('users_not_found');
      },
      'usergroups.list': (args) => ({
        usergroups: [...this.groups.values()].map((g) => this.groupObject(g, truthy(args.include_users))),
      }),
      'usergroups.users.list': (args) => {
        const group = this.groups.get(str(args, 'usergroup') ?? '');
        return group ? { users: [...group.users] } : fail('no_such_subteam');
      },
      'conversations.open': (args) => this.open(args),
    };
  }

  private open(args: Args): MethodResult {
    const channelArg = str(args, 'channel');
    if (channelArg) return this.resolveChannel(channelArg) ? { channel: { id: channelArg } } : fail('channel_not_found');
    const users = (str(args, 'users') ?? '').split(',').map((u) => u.trim()).filter(Boolean);
    if (users.length === 0) return fail('users_list_not_supplied');
    if (users.length > 8) return fail('too_many_users');
    if (!users.every((u) => this.knowsUser(u))) return fail('user_not_found');
    const key = users.length === 1 ? users[0]! : [...users].sort().join(',');
    const alreadyOpen = this.dms.has(key);
    const id = users.length === 1 ? this.dmChannel(key) : this.groupDm(key);
    const channel = truthy(args.return_im) ? { id, is_im: users.length === 1, user: users[0], created: 0 } : { id };
    return alreadyOpen ? { no_op: true, already_open: true, channel } : { channel };
  }

  private groupDm(key: string): string {
    const id = this.dms.get(key) ?? `G${String(this.dms.size + 1).padStart(8, '0')}`;
    this.dms.set(key, id);
    return id;
  }
}

function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}
