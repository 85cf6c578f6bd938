import { freshPostgres } from './fresh-postgres.js';
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { type Server, createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { createChatRegistry } from '../src/chat/families.js';
import { loadConfig } from '../src/config.js';
import { type Database, openDatabase } from '../src/db/database.js';
import { parseFlowSource } from '../src/flow/loader.js';
import { openPolicy } from '../src/policy/policy.js';
import { PatchbayService } from '../src/service/service.js';
import { createSlackApp } from '../src/slack/app.js';
import { PEER_FLAG, PEER_SECRET, type PeerMessage, type PeerRequest } from './slack-peer.js';

/**
 * The Slack surface under load, through the real Bolt HTTP receiver with signed requests:
 * how fast Slack gets its 200 (the 3-second rule; a modal's trigger_id dies at 3 s too) and
 * how long from an Approve click to the next task running. "Slack" — the Web API emulator
 * and the request sender — is a child process (slack-peer.ts), so only the app is measured.
 * Requests go out open-loop, on a fixed schedule: a slow ack shows up as queueing.
 */
const APPROVER = 'UAPPROVER';
const gate = `id: gate\nnamespace: bench\ntasks:\n  - id: approve\n    type: io.kestra.plugin.ee.flow.HumanTask\n    assignment:\n      users: [${APPROVER}]\n  - id: next\n    type: io.kestra.plugin.core.log.Log\n    message: resumed\n`;
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

const percentile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const ms = (value: number): string => `${value.toFixed(value < 100 ? 1 : 0)} ms`;
const line = (label: string, value: string): void => console.log(`  ${label.padEnd(78)} ${value}`);

/**
 * What this host gives any Node HTTP server at the same rate (an empty 200, no Bolt, no
 * database): the floor the app's figures should be read against on a shared machine.
 */
async function floor(peer: Peer): Promise<number[]> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    const { latencies = [] } = await peer.ask({ type: 'acks', url, rate: 100, seconds: 5, text: 'help', expectAnswers: false });
    return [...latencies].sort((a, b) => a - b);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

class Peer {
  private seq = 0;
  private readonly waiting = new Map<number, (message: Extract<PeerMessage, { type: 'result' }>) => void>();

  private constructor(private readonly child: ChildProcess, readonly apiUrl: string, readonly botToken: string) {
    child.on('message', (message: PeerMessage) => {
      if (message.type === 'result') this.waiting.get(message.id)?.(message);
    });
  }

  static async start(): Promise<Peer> {
    // execArgv is inherited: the child runs the TypeScript through the same tsx loader.
    const child = fork(fileURLToPath(new URL('./slack-peer.ts', import.meta.url)), [PEER_FLAG], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const ready = await new Promise<Extract<PeerMessage, { type: 'ready' }>>((resolve, reject) => {
      child.once('message', (message: PeerMessage) => (message.type === 'ready' ? resolve(message) : reject(new Error('peer did not start'))));
      child.once('exit', (code) => reject(new Error(`bench peer exited with ${code}`)));
    });
    return new Peer(child, ready.apiUrl, ready.botToken);
  }

  ask(request: Omit<Extract<PeerRequest, { type: 'acks' }>, 'id'> | Omit<Extract<PeerRequest, { type: 'click' }>, 'id'>): Promise<Extract<PeerMessage, { type: 'result' }>> {
    const id = (this.seq += 1);
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (message) => {
        this.waiting.delete(id);
        if (message.error) reject(new Error(message.error));
        else resolve(message);
      });
      this.child.send({ ...request, id });
    });
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ id: 0, type: 'close' } satisfies PeerRequest);
    await exited;
  }
}

async function clickToNextTask(url: string, peer: Peer, svc: PatchbayService, samples: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const id = await svc.start('bench.gate', {}, { as: 'requester' });
    await svc.settle(id, 10);
    const [approval] = await svc.database.rows<{ id: string }>(sql`select id from approvals where execution_id = ${id}`);
    const { sentAt } = await peer.ask({ type: 'click', url, approvalId: approval!.id, user: APPROVER });
    for (;;) {
      const [row] = await svc.database.rows<{ started: string | null }>(sql`select started_at as started from task_runs where execution_id = ${id} and task_id = 'next'`);
      if (row?.started) {
        latencies.push(Math.max(0, new Date(row.started).getTime() - sentAt!));
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
  return latencies.sort((a, b) => a - b);
}

async function benchTarget(name: string, database: Database, peer: Peer): Promise<void> {
  console.log(`  ${name}`);
  const config = loadConfig({ SLACK_BOT_TOKEN: peer.botToken, SLACK_SIGNING_SECRET: PEER_SECRET, SLACK_API_URL: peer.apiUrl, PORT: '0' }, process.cwd());
  const svc = await PatchbayService.open({ config, database });
  await svc.flows.sync(parseFlowSource(gate, 'bench.yaml').flows);
  // serve's worker settings: LISTEN/NOTIFY wakes it on new work, the poll is only the safety net.
  await svc.startWorker({ onError: () => undefined });
  const app = createSlackApp({ service: svc, config, registry: createChatRegistry(), policy: openPolicy, log: silent, workerRunning: () => true });
  await app.init();
  const server = (await app.start()) as Server;
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  try {
    await peer.ask({ type: 'acks', url, rate: 50, seconds: 2, text: 'help' }); // warm-up: JIT, pools, caches
    for (const [text, what] of [['help', 'no database behind the ack'], ['list', 'a database read behind each ack']] as const) {
      const { latencies = [], drainMs = 0 } = await peer.ask({ type: 'acks', url, rate: 100, seconds: 10, text });
      const acks = [...latencies].sort((a, b) => a - b);
      line(`  ack at 100 req/s, /flow ${text} × ${acks.length} (${what})`, `p50 ${ms(percentile(acks, 0.5))} / p99 ${ms(percentile(acks, 0.99))} (target p99 ≤ 50 ms); answers done ${ms(drainMs)} after the last request`);
    }
    const clicks = await clickToNextTask(url, peer, svc, 40);
    line(`  Approve click → next task started (${clicks.length} clicks, one at a time)`, `p50 ${ms(percentile(clicks, 0.5))} / p99 ${ms(percentile(clicks, 0.99))} (target p99 ≤ 100 ms)`);
  } finally {
    await app.stop();
    await svc.close();
  }
}

export async function benchSlack(databaseUrl: string | undefined): Promise<void> {
  console.log('\nSlack (real Bolt HTTP receiver, signed requests; Slack emulator and load in a separate process)');
  const peer = await Peer.start();
  try {
    const bare = await floor(peer);
    line('floor: bare Node HTTP server, 100 req/s × 5 s', `p50 ${ms(percentile(bare, 0.5))} / p99 ${ms(percentile(bare, 0.99))}`);
    // A data directory, as `patchbay serve` uses (in-memory PGlite copies its growing files).
    const dataDir = await mkdtemp(path.join(tmpdir(), 'patchbay-bench-'));
    const pglite = await openDatabase({ dataDir });
    await benchTarget('embedded PGlite', pglite, peer).finally(async () => {
      await pglite.close();
      await rm(dataDir, { recursive: true, force: true });
    });
    if (databaseUrl) {
      const fresh = await freshPostgres(databaseUrl, 'slack');
      const database = await openDatabase({ url: fresh.url, maxConnections: 20 });
      await benchTarget('PostgreSQL', database, peer).finally(async () => {
        await database.close();
        await fresh.drop();
      });
    }
  } finally {
    await peer.close();
  }
}
