import { blockActionPayload, slashCommandPayload, startSlackEmulator } from '../test/support/slack/index.js';
import { signature } from '../test/support/slack/requests.js';

/**
 * "Slack" for bench/slack.ts, in a process of its own: the Web API emulator the app calls and
 * the client that sends it signed requests. Kept out of the measured process so that what
 * the figures show is the app's event loop, not the load generator's.
 *
 * Protocol (IPC): → `ready {apiUrl, botToken}`; ← `acks {url, rate, seconds}` → `result
 * {latencies, drainMs}`; ← `click {url, approvalId}` → `result {sentAt}`; ← `close`.
 * `drainMs`: from the last request until the app had answered every one through its
 * response_url — how long the work behind the acks took to catch up.
 */
export const PEER_SECRET = 'bench-signing-secret';
export const PEER_FLAG = '--patchbay-bench-slack-peer';

export type PeerRequest =
  | { id: number; type: 'acks'; url: string; rate: number; seconds: number; text: string; expectAnswers?: boolean }
  | { id: number; type: 'click'; url: string; approvalId: string; user: string }
  | { id: number; type: 'close' };

export type PeerMessage =
  | { type: 'ready'; apiUrl: string; botToken: string }
  | { type: 'result'; id: number; latencies?: number[]; drainMs?: number; sentAt?: number; error?: string };

async function post(url: string, body: string): Promise<number> {
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Slack-Request-Timestamp': String(timestamp), 'X-Slack-Signature': signature(PEER_SECRET, timestamp, body) };
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers, body });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`the receiver answered ${response.status}`);
  return performance.now() - started;
}

async function main(): Promise<void> {
  const send = (message: PeerMessage): void => void process.send?.(message);
  const slack = await startSlackEmulator();

  /** Open loop: request i leaves at start + i/rate whether or not earlier ones were answered. */
  async function acks(request: Extract<PeerRequest, { type: 'acks' }>): Promise<{ latencies: number[]; drainMs: number }> {
    const total = Math.round(request.rate * request.seconds);
    const answered = slack.responses().length;
    const started = performance.now();
    const pending: Promise<number>[] = [];
    for (let i = 0; i < total; i += 1) {
      const wait = started + (i * 1000) / request.rate - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const fields = slashCommandPayload({ command: '/flow', text: request.text, user_id: 'UBENCH', channel_id: 'CBENCH', trigger_id: slack.triggerId('UBENCH'), response_url: slack.responseUrl('CBENCH', 'UBENCH') });
      pending.push(post(request.url, new URLSearchParams(fields).toString()));
    }
    const lastSent = performance.now();
    const latencies = await Promise.all(pending);
    if (request.expectAnswers === false) return { latencies, drainMs: 0 };
    // Every command answers once through its response_url: wait for the last answer.
    await slack.waitForResponse(() => slack.responses().length >= answered + total, 120_000).catch(() => undefined);
    return { latencies, drainMs: performance.now() - lastSent };
  }

  async function click(request: Extract<PeerRequest, { type: 'click' }>): Promise<number> {
    const payload = blockActionPayload({
      user: request.user, channel: 'CBENCH', message_ts: '1.000001', trigger_id: slack.triggerId(request.user),
      response_url: slack.responseUrl('CBENCH', request.user), actions: [{ action_id: 'approval_approve', block_id: 'approval', value: request.approvalId }],
    });
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const sentAt = Date.now();
    await post(request.url, body);
    return sentAt;
  }

  process.on('message', (request: PeerRequest) => {
    const work = async (): Promise<Omit<Extract<PeerMessage, { type: 'result' }>, 'type' | 'id'>> => {
      if (request.type === 'acks') return acks(request);
      if (request.type === 'click') return { sentAt: await click(request) };
      await slack.close();
      process.disconnect();
      return {};
    };
    work().then(
      (result) => request.type !== 'close' && send({ type: 'result', id: request.id, ...result }),
      (error: unknown) => send({ type: 'result', id: request.id, error: String(error) }),
    );
  });
  send({ type: 'ready', apiUrl: slack.apiUrl, botToken: slack.botToken });
}

// Only as the forked child (bench/slack.ts passes the flag); importing this module runs nothing.
if (process.argv.includes(PEER_FLAG) && process.send) await main();
