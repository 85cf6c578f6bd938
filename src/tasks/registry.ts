import { TypeRegistry } from '../flow/type-registry.js';
import { AssetDelete } from './assets/Delete.js';
import { AssetList } from './assets/List.js';
import { AssetSet } from './assets/Set.js';
import { Approval } from './core/Approval.js';
import { Assert } from './core/Assert.js';
import { Echo } from './core/Echo.js';
import { Fail } from './core/Fail.js';
import { ForEach } from './core/ForEach.js';
import { HumanTask } from './core/HumanTask.js';
import { If } from './core/If.js';
import { Log } from './core/Log.js';
import { OutputValues } from './core/OutputValues.js';
import { Parallel } from './core/Parallel.js';
import { Pause } from './core/Pause.js';
import { Return } from './core/Return.js';
import { Sequential } from './core/Sequential.js';
import { Sleep } from './core/Sleep.js';
import { Subflow } from './core/Subflow.js';
import { Switch } from './core/Switch.js';
import { HttpRequest } from './http/Request.js';
import { KvDelete } from './kv/Delete.js';
import { KvGet } from './kv/Get.js';
import { KvSet } from './kv/Set.js';
import { SlackIncomingWebhook } from './notifications/SlackIncomingWebhook.js';
import { SlackPost } from './slack/Post.js';
import { CreateVm } from './nutanix/ahv/CreateVm.js';
import { DeleteVm } from './nutanix/ahv/DeleteVm.js';
import { GetVm } from './nutanix/ahv/GetVm.js';
import { ListVms } from './nutanix/ahv/ListVms.js';
import { StartVm } from './nutanix/ahv/StartVm.js';
import { StopVm } from './nutanix/ahv/StopVm.js';
import { UpdateVm } from './nutanix/ahv/UpdateVm.js';
import { CreateVmSnapshot } from './nutanix/snapshot/CreateVmSnapshot.js';
import { DeleteVmSnapshot } from './nutanix/snapshot/DeleteVmSnapshot.js';
import { ListVmSnapshots } from './nutanix/snapshot/ListVmSnapshots.js';
import { ReplicateVmSnapshot } from './nutanix/snapshot/ReplicateVmSnapshot.js';
import { RestoreVmSnapshot } from './nutanix/snapshot/RestoreVmSnapshot.js';
import { PatchWindow } from './reports/PatchWindow.js';
import { PowerShellCommands } from './scripts/PowerShellCommands.js';
import { PowerShellScript } from './scripts/PowerShellScript.js';
import { ShellCommands } from './scripts/ShellCommands.js';
import { ShellScript } from './scripts/ShellScript.js';
import { SshCommand } from './ssh/Command.js';
import type { TaskDefinition } from './types.js';

/**
 * Every task type Patchbay knows, under Kestra's full name and each documented alias. The map
 * is static so the flow schema, the editor JSON Schema and `patchbay schema` all see one list.
 * Kestra does not resolve bare class names (`type: Log`), so neither does this registry.
 */
const DEFINITIONS: readonly TaskDefinition[] = [
  Log, Return, Echo, OutputValues, Sequential, Parallel, If, Switch, ForEach, Subflow, Sleep,
  Pause, HumanTask, Approval, Fail, Assert,
  HttpRequest,
  ShellCommands, ShellScript, PowerShellCommands, PowerShellScript,
  SshCommand,
  KvSet, KvGet, KvDelete,
  AssetSet, AssetList, AssetDelete,
  SlackIncomingWebhook, SlackPost,
  PatchWindow,
  CreateVm, GetVm, ListVms, StartVm, StopVm, DeleteVm, UpdateVm,
  CreateVmSnapshot, ListVmSnapshots, RestoreVmSnapshot, DeleteVmSnapshot, ReplicateVmSnapshot,
];

const registry = new TypeRegistry<TaskDefinition>('task', DEFINITIONS);

export const lookupTask = (type: string): TaskDefinition | undefined => registry.lookup(type);
export const allTaskDefinitions = (): readonly TaskDefinition[] => registry.all();
export const taskTypeNames = (): string[] => registry.names();
export const suggestTaskTypes = (unknown: string, n = 3): string[] => registry.suggest(unknown, n);
