import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AssetService } from '../../../src/assets/service.js';
import { simulatorSecrets } from '../../../src/service/nutanix-endpoint.js';
import { type SeedVm, type Simulator, startSimulator } from '../../../src/sim/index.js';
import { createNotifierClient } from '../../../src/slack/notifier/client.js';
import { createSlackChatPoster } from '../../../src/slack/notifier/report-poster.js';
import { type TestEngine, createTestEngine } from '../../support/engine.js';
import { type SlackEmulator, startSlackEmulator } from '../../support/slack/index.js';

/**
 * The shipped flows end to end: the real engine on a database of its own, the Prism Central
 * simulator with guests on a loopback prefix of this file's own (SSH on 22, HTTP on 80 where
 * they may bind), and the Slack emulator behind the chat poster the flows notify through.
 */
export interface FlowRig {
  sim: Simulator;
  slack: SlackEmulator;
  engine: TestEngine;
  assets: AssetService;
  /** Reads a shipped flow from flows/ and loads it. */
  loadShipped(...names: string[]): Promise<void>;
  close(): Promise<void>;
}

const FLOWS = path.resolve(import.meta.dirname, '../../../flows');

export async function startFlowRig(options: { vms?: SeedVm[] } = {}): Promise<FlowRig> {
  const sim = await startSimulator({ ...options, guests: { addressing: 'auto', loopbackPrefix: `127.${randomInt(1, 255)}.${randomInt(0, 256)}.`, rebootMs: 150 } });
  const slack = await startSlackEmulator();
  const chat = createSlackChatPoster(createNotifierClient(slack.botToken, { slackApiUrl: slack.apiUrl }));
  const engine = await createTestEngine({ integrations: { nutanix: sim.connection(), chat }, secretDefaults: simulatorSecrets(sim) });
  return {
    sim,
    slack,
    engine,
    assets: new AssetService(engine.service.database),
    async loadShipped(...names) {
      for (const name of names) await engine.load(await readFile(path.join(FLOWS, `${name}.yaml`), 'utf8'));
    },
    async close() {
      await engine.close();
      await slack.close();
      await sim.stop();
    },
  };
}

/** Fast health checks: the simulated reboot takes 150 ms. */
export const FAST_HEALTH = { healthAttempts: 40, healthInterval: 'PT0.1S' };

/** GET a guest's health URL: its status code, or 'refused'. */
export async function health(url: string): Promise<number | 'refused'> {
  try {
    const response = await fetch(url, { headers: { connection: 'close' } });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 'refused';
  }
}
