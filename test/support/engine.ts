import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import type { WorkerOptions } from '../../src/engine/worker.js';
import { formatDiagnostic, parseFlowSource } from '../../src/flow/loader.js';
import { PatchbayService } from '../../src/service/service.js';
import type { TaskIntegrations } from '../../src/tasks/integrations.js';
import { type TestDatabase, createTestDatabase } from './database.js';

/**
 * A Patchbay service on a database of its own, with flows given as YAML text and a fast
 * worker (short poll and lease) so tests of timers and lost leases stay quick.
 */
export interface TestEngine {
  service: PatchbayService;
  test: TestDatabase;
  dir: string;
  /** Loads (or re-loads: a new revision) flows from YAML text. */
  load(...yaml: string[]): Promise<void>;
  /** Starts a flow and waits until it ends or waits for a person. */
  run(flow: string, inputs?: Record<string, unknown>, as?: string): Promise<Awaited<ReturnType<PatchbayService['settle']>>>;
  close(): Promise<void>;
}

export interface TestEngineOptions {
  env?: Record<string, string>;
  worker?: WorkerOptions | false;
  /** Systems the tasks reach (a simulator's connection, a chat poster). */
  integrations?: TaskIntegrations;
  /** Secrets used when the environment has none (a simulator's guest login). */
  secretDefaults?: Record<string, string>;
}

export async function createTestEngine(options: TestEngineOptions = {}): Promise<TestEngine> {
  const test = await createTestDatabase();
  const dir = await mkdtemp(path.join(tmpdir(), 'patchbay-engine-'));
  const config = loadConfig({ PATCHBAY_DATA_DIR: dir, PATCHBAY_FLOWS_DIR: dir, ...options.env }, dir);
  const service = await PatchbayService.open({
    config,
    database: test.database,
    ...(options.integrations ? { integrations: options.integrations } : {}),
    ...(options.secretDefaults ? { secretDefaults: options.secretDefaults } : {}),
  });
  if (options.worker !== false) await service.startWorker({ pollMs: 100, leaseMs: 2000, concurrency: 4, onError: () => undefined, ...options.worker });
  return {
    service,
    test,
    dir,
    async load(...yaml) {
      for (const text of yaml) {
        const parsed = parseFlowSource(text, 'test.yaml');
        if (parsed.diagnostics.length > 0) throw new Error(parsed.diagnostics.map(formatDiagnostic).join('\n'));
        await service.flows.sync(parsed.flows);
      }
    },
    async run(flow, inputs = {}, as = 'alice') {
      const id = await service.start(flow, inputs, { as });
      return service.settle(id, 50);
    },
    async close() {
      await service.close();
      await test.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
