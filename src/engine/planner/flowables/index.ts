import type { FlowableBehavior } from '../types.js';
import { TaskTypes } from '../types.js';
import { approval } from './approval.js';
import { forEach } from './foreach.js';
import { ifTask } from './if.js';
import { parallel } from './parallel.js';
import { humanTask, pause } from './pause.js';
import { sequential } from './sequential.js';
import { subflow } from './subflow.js';
import { switchTask } from './switch.js';

/** Flowable task types by Kestra's full name (aliases resolve to it through the registry). */
export const BEHAVIORS: ReadonlyMap<string, FlowableBehavior> = new Map<string, FlowableBehavior>([
  [TaskTypes.sequential, sequential],
  [TaskTypes.parallel, parallel],
  [TaskTypes.if, ifTask],
  [TaskTypes.switch, switchTask],
  [TaskTypes.forEach, forEach],
  [TaskTypes.subflow, subflow],
  [TaskTypes.pause, pause],
  [TaskTypes.humanTask, humanTask],
  [TaskTypes.approval, approval],
]);
