import { setTimeout as sleep } from 'node:timers/promises';
import { taskFailed } from '../../errors.js';
import { abortedError } from '../abort.js';
import { type PrismCall, type PrismClient, segment } from './client.js';
import { type Json, isObject, isTerminal, taskFailure } from './envelope.js';

/** What a mutating call started: the Prism task, and the task once finished when waited for. */
export interface Started {
  taskExtId: string;
  /** The finished task (status SUCCEEDED); absent when the caller did not wait. */
  task?: Json;
}

/**
 * Sends a mutating call (202 + TaskReference), logs the Prism task it started, and when
 * `wait` polls it to the end. A FAILED or CANCELED task throws with Prism's error codes.
 */
export async function startTask(client: PrismClient, call: PrismCall & { purpose: string }, wait: boolean): Promise<Started> {
  const reply = await client.call(call);
  const extId = isObject(reply.data) && typeof reply.data.extId === 'string' ? reply.data.extId : undefined;
  if (!extId) {
    throw taskFailed(`${call.operation}: Prism Central answered HTTP ${reply.status} without a task reference (data.extId)`, { retryable: false });
  }
  client.log.info(`${call.operation}: Prism task ${extId} started`);
  if (!wait) return { taskExtId: extId };
  return { taskExtId: extId, task: await waitForTask(client, extId, call.operation) };
}

/**
 * Polls `GET prism/…/config/tasks/{extId}` every `pollInterval` until the task is SUCCEEDED,
 * FAILED or CANCELED, honouring the abort signal. Running past `waitTimeout` fails without a
 * retry: the Prism task is still running, and a new attempt would start a second one.
 */
export async function waitForTask(client: PrismClient, taskExtId: string, operation: string): Promise<Json> {
  const { pollIntervalMs, waitTimeoutMs } = client.connection;
  const deadline = Date.now() + waitTimeoutMs;
  let lastProgress: unknown;
  for (;;) {
    const reply = await client.call({ method: 'GET', path: client.path('prism', `config/tasks/${segment(taskExtId)}`), operation: `${operation} (reading task ${taskExtId})` });
    const task = isObject(reply.data) ? reply.data : {};
    if (isTerminal(task.status)) {
      if (task.status !== 'SUCCEEDED') throw taskFailure(operation, { extId: taskExtId, ...task });
      client.log.info(`${operation}: Prism task ${taskExtId} SUCCEEDED`);
      return task;
    }
    if (task.progressPercentage !== lastProgress) {
      lastProgress = task.progressPercentage;
      client.log.debug(`${operation}: Prism task ${taskExtId} ${String(task.status ?? 'pending')} ${String(task.progressPercentage ?? 0)}%`);
    }
    if (Date.now() >= deadline) {
      throw taskFailed(`${operation}: Prism task ${taskExtId} still ${String(task.status ?? 'pending')} after waitTimeout (${waitTimeoutMs / 1000} s); it may still finish in Prism Central`, {
        retryable: false,
        details: { taskExtId },
      });
    }
    try {
      await sleep(Math.min(pollIntervalMs, Math.max(0, deadline - Date.now())), undefined, { signal: client.signal });
    } catch {
      throw abortedError(`${operation} (waiting for Prism task ${taskExtId})`, client.signal);
    }
  }
}
