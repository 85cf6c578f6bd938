import type { App } from '@slack/bolt';
import { homeView } from '../../blocks/home.js';
import { type ListenerDeps, type WebClient, actorOf, claim } from '../kit.js';

/** Rows per list: three lists of at most 14 two-block rows stay under Slack's 100 blocks. */
const ROWS = 10;

/** The Home tab of one person: what waits for them, what they started, what runs now. */
export async function publishHome(deps: ListenerDeps, client: WebClient, user: string): Promise<void> {
  const { service } = deps;
  const [waiting, mine, running] = await Promise.all([
    service.approvalsFor(actorOf(deps, user), { policy: deps.policy, limit: ROWS + 1 }),
    service.recentExecutions(user, ROWS + 1),
    service.runningExecutions(ROWS + 1),
  ]);
  await client.views.publish({ user_id: user, view: homeView({ waiting, mine, running, limit: ROWS }) });
}

/**
 * `app_home_opened` (Bolt acks events before any listener runs). Only the Home tab is
 * rendered; opening the Messages tab fires the same event with `tab: messages`.
 */
export function registerAppHomeOpened(app: App, deps: ListenerDeps): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    await deps.gate.run(async () => {
      try {
        if (!(await claim(deps, 'app_home_opened', body))) return;
        await publishHome(deps, client, event.user);
      } catch (error) {
        deps.log.error(`slack app_home_opened for ${event.user} failed`, error);
      }
    });
  });
}
