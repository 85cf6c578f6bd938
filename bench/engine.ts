import { freshPostgres } from './fresh-postgres.js';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { loadConfig } from '../src/config.js';
import { type Database, openDatabase } from '../src/db/database.js';
import { Worker } from '../src/engine/worker.js';
import { parseFlowSource } from '../src/flow/loader.js';
import { PatchbayService } from '../src/service/service.js';

/**
 * Engine throughput and latency, on the embedded database and (with DATABASE_URL) on
 * PostgreSQL, with graphile-worker measured on the same PostgreSQL in the same run.
 */
const tenLogs = `id: bench10\nnamespace: bench\ntasks:\n${Array.from({ length: 10 }, (_, i) => `  - id: log${i}\n    type: io.kestra.plugin.core.log.Log\n    message: "step ${i} of {{ execution.id }}"`).join('\n')}\n`;
const gate = `id: gate\nnamespace: bench\ntasks:\n  - id: wait\n    type: io.kestra.plugin.core.flow.Pause\n  - id: next\n    type: io.kestra.plugin.core.log.Log\n    message: resumed\n`;

async function service(database: Database): Promise<PatchbayService> {
  const svc = await PatchbayService.open({ config: loadConfig({}, process.cwd()), database });
  for (const text of [tenLogs, gate]) await svc.flows.sync(parseFlowSource(text, 'bench.yaml').flows);
  return svc;
}

async function throughput(svc: PatchbayService, workers: number, executions: number, concurrency = 32): Promise<number> {
  const ids: string[] = [];
  for (let i = 0; i < executions; i += 1) ids.push(await svc.start('bench.bench10', {}, { as: 'bench' }));
  const started = performance.now();
  const running = Array.from({ length: workers }, () => new Worker(svc.engine, { concurrency, pollMs: 50, onError: () => undefined }));
  await Promise.all(running.map((worker) => worker.start()));
  for (;;) {
    const [row] = await svc.database.rows<{ n: number }>(sql`select count(*)::int as n from executions where flow_id = 'bench10' and state not in ('SUCCESS', 'FAILED')`);
    if (row?.n === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(running.map((worker) => worker.stop()));
  return (executions * 10) / seconds;
}

async function resumeLatency(svc: PatchbayService, samples: number): Promise<{ p50: number; p99: number }> {
  await svc.startWorker({ concurrency: 4, pollMs: 50, onError: () => undefined });
  const latencies: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const id = await svc.start('bench.gate', {}, { as: 'bench' });
    await svc.settle(id, 10);
    const before = Date.now();
    await svc.decide({ executionId: id, actor: 'approver', approve: true });
    for (;;) {
      const [row] = await svc.database.rows<{ started: string | null }>(
        sql`select started_at as started from task_runs where execution_id = ${id} and task_id = 'next'`,
      );
      if (row?.started) {
        latencies.push(Math.max(0, new Date(row.started).getTime() - before));
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
  latencies.sort((a, b) => a - b);
  return { p50: latencies[Math.floor(latencies.length * 0.5)] ?? 0, p99: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? 0 };
}

async function graphileJobsPerSecond(url: string, jobs: number): Promise<number> {
  const { run, runMigrations, Logger } = await import('graphile-worker');
  const logger = new Logger(() => () => undefined);
  await runMigrations({ connectionString: url, logger });
  const client = postgres(url, { max: 1, onnotice: () => undefined });
  await client`select graphile_worker.add_job('noop', '{}'::json) from generate_series(1, ${jobs})`;
  let done = 0;
  const started = performance.now();
  const runner = await run({ connectionString: url, logger, concurrency: 32, noHandleSignals: true, pollInterval: 50, taskList: { noop: async () => void (done += 1) } });
  while (done < jobs) await new Promise((resolve) => setTimeout(resolve, 10));
  const seconds = (performance.now() - started) / 1000;
  await runner.stop();
  await client.end();
  return jobs / seconds;
}

export async function benchEngine(databaseUrl: string | undefined): Promise<void> {
  const line = (label: string, value: string) => console.log(`  ${label.padEnd(48)} ${value}`);
  console.log('\nEngine (flows of 10 Log tasks, 32 task slots per worker; every task a durable transition, committed in batches)');
  const targets: { name: string; open: () => Promise<{ database: Database; url?: string; drop: () => Promise<void> }> }[] = [
    { name: 'embedded PGlite', open: async () => { const database = await openDatabase({}); return { database, drop: () => database.close() }; } },
  ];
  if (databaseUrl) {
    targets.push({
      name: 'PostgreSQL',
      open: async () => {
        const fresh = await freshPostgres(databaseUrl, 'engine');
        const database = await openDatabase({ url: fresh.url, maxConnections: 20 });
        return { database, url: fresh.url, drop: async () => { await database.close(); await fresh.drop(); } };
      },
    });
  }
  for (const target of targets) {
    const opened = await target.open();
    const svc = await service(opened.database);
    const executions = target.name === 'PostgreSQL' ? 200 : 40;
    const one = await throughput(svc, 1, executions);
    const four = await throughput(svc, 4, executions);
    const latency = await resumeLatency(svc, 30);
    line(`${target.name}: tasks/s, 1 worker`, one.toFixed(0));
    line(`${target.name}: tasks/s, 4 workers`, four.toFixed(0));
    line(`${target.name}: resume → next task p50 / p99`, `${latency.p50} ms / ${latency.p99} ms`);
    if (opened.url) {
      const graphile = await graphileJobsPerSecond(opened.url, 2000);
      line('graphile-worker on the same PostgreSQL: jobs/s', graphile.toFixed(0));
      line('ratio patchbay tasks/s (4 workers) / graphile jobs/s', `${(four / graphile).toFixed(2)}×`);
    }
    await svc.close();
    await opened.drop();
  }
}
