/**
 * Identities shared by the emulator and the request builders. They live in one place so that a
 * payload built by `requests.ts` names the same team, app and bot user the emulator answers
 * `auth.test` with — Bolt compares them (ignoreSelf, authorize), so a mismatch changes routing.
 */
export const SLACK_TEST_DEFAULTS = {
  botToken: 'xoxb-test',
  appToken: 'xapp-test',
  teamId: 'T0000TEST',
  teamDomain: 'patchbay-test',
  teamName: 'Patchbay Test',
  appId: 'A0000TEST',
  botId: 'B0000BOT',
  botUserId: 'U0000BOT',
  botName: 'patchbay',
  /** The deprecated verification token; Slack still sends it in every payload. */
  verificationToken: 'verification-token-test',
} as const;

export type SlackTestDefaults = { -readonly [K in keyof typeof SLACK_TEST_DEFAULTS]: string };

/** A Block Kit block as the emulator sees it: any object with a string `type`. */
export interface Block {
  type: string;
  block_id?: string;
  [key: string]: unknown;
}

export type Args = Record<string, unknown>;

/** What a Web API method handler returns: a body, or a platform error name. */
export type MethodResult = Args | { error: string; extra?: Args };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Slack's block validation boiled down: an array of objects that each carry a string `type`. */
export function isBlockArray(value: unknown, max: number): value is Block[] {
  return Array.isArray(value) && value.length <= max && value.every((b) => isRecord(b) && typeof b.type === 'string');
}

export function str(args: Args, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

export function fail(error: string, extra?: Args): MethodResult {
  return extra ? { error, extra } : { error };
}

export function isError(result: MethodResult): result is { error: string; extra?: Args } {
  return typeof (result as { error?: unknown }).error === 'string';
}

/** Resolves with the first item a predicate accepts, from a list that grows over time. */
export class Recorder<T> {
  readonly items: T[] = [];
  private readonly waiters = new Set<(item: T) => void>();

  push(item: T): void {
    this.items.push(item);
    for (const waiter of [...this.waiters]) waiter(item);
  }

  /** Looks at what is already recorded first, so a test never races the bot. */
  waitFor(predicate: (item: T) => boolean, timeoutMs: number, what: string): Promise<T> {
    const found = this.items.find(predicate);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const waiter = (item: T): void => {
        if (!predicate(item)) return;
        cleanup();
        resolve(item);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${this.items.length} recorded)`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
    });
  }
}
