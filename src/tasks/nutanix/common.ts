import { isPatchbayError, taskFailed } from '../../errors.js';
import { taskOrigin } from '../assets/inventory.js';
import type { PropKit } from '../kit.js';
import type { TaskRunContext } from '../types.js';
import { PrismClient, segment } from './client.js';
import { type ConnectionProps, resolveConnection } from './connection.js';
import { type Json, isObject } from './envelope.js';
import { type Started, startTask } from './prism-task.js';

/** `wait` on every task that starts a Prism task (pluginDefaults may set it for the whole package). */
export const waitProperty = (k: PropKit) => ({
  wait: k.bool().default(true).describe('Wait until the Prism task finished (SUCCEEDED, or fail with its error)'),
});

/** Runs `work` with a client for this task run, closing its connections whatever happens. */
export async function withPrism<T>(context: TaskRunContext, props: ConnectionProps, work: (client: PrismClient) => Promise<T>): Promise<T> {
  const connection = await resolveConnection(props, context.integrations.nutanix, context.log);
  const client = new PrismClient(connection, context);
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

/** A property that must name something: refuses a value that rendered empty, naming the property. */
export function required(value: string | undefined, property: string): string {
  const trimmed = value?.trim();
  if (!trimmed) throw taskFailed(`\`${property}\`: required, and it rendered to an empty value`, { retryable: false });
  return trimmed;
}

/** A 404 from Prism names the property that pointed at nothing; other errors pass unchanged. */
export async function notFoundAs<T>(property: string, value: string, what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (isPatchbayError(error) && error.details?.status === 404) {
      throw taskFailed(`\`${property}\`: Prism Central has no ${what} ${value} (${error.message})`, { retryable: false, cause: error, details: error.details });
    }
    throw error;
  }
}

export interface VmRead {
  vm: Json;
  etag?: string;
}

/** `GET vms/{extId}`: the VM and its ETag (for If-Match). */
export async function readVm(client: PrismClient, extId: string, operation: string, property = 'vmExtId'): Promise<VmRead> {
  const reply = await notFoundAs(property, extId, 'VM', () =>
    client.call({ method: 'GET', path: client.path('vmm', `ahv/config/vms/${segment(extId)}`), operation }),
  );
  const vm = isObject(reply.data) ? reply.data : {};
  return { vm, ...(reply.etag ? { etag: reply.etag } : {}) };
}

export type PowerAction = 'power-on' | 'power-off' | 'shutdown' | 'guest-shutdown';

/** A power action on a VM whose ETag was just read; the request id is tied to VM and action. */
export function powerVm(client: PrismClient, extId: string, action: PowerAction, etag: string | undefined, operation: string, wait: boolean): Promise<Started> {
  return startTask(
    client,
    {
      method: 'POST',
      path: client.path('vmm', `ahv/config/vms/${segment(extId)}/$actions/${action}`),
      operation,
      ...(etag ? { ifMatch: etag } : {}),
      purpose: `${action}:${extId}`,
    },
    wait,
  );
}

/**
 * Marks an asset DELETED when the task removed what it stands for. A flow may run without an
 * inventory (no database at hand) or delete something Patchbay never recorded: both are fine.
 */
export async function forgetAsset(context: TaskRunContext, id: string | undefined): Promise<void> {
  if (!context.assets || !id) return;
  const outcome = await context.assets.delete(taskOrigin(context), id);
  if (outcome === 'deleted') context.log.info(`asset ${id} marked DELETED`);
  else context.log.debug(`asset ${id}: ${outcome === 'missing' ? 'not in the inventory' : 'already deleted'}`);
}
