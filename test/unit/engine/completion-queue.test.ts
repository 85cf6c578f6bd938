import { describe, expect, it } from 'vitest';
import { type Completion, CompletionQueue } from '../../../src/engine/completion-queue.js';
import type { ClaimedTaskRun } from '../../../src/engine/store/claim.js';

const run = (id: string): ClaimedTaskRun => ({ id, executionId: `e-${id}`, taskId: 't', type: 'x', value: null, attempt: 1 });

describe('CompletionQueue (group commit of finished attempts)', () => {
  it('commits what arrives during a commit as the next batch', async () => {
    const batches: string[][] = [];
    let release: () => void = () => undefined;
    const firstCommit = new Promise<void>((resolve) => (release = resolve));
    const queue = new CompletionQueue(
      async (batch) => {
        batches.push(batch.map((item) => item.run.id));
        if (batches.length === 1) await firstCommit;
      },
      async () => undefined,
    );
    const first = queue.add(run('a'), { state: 'SUCCESS' });
    const later = ['b', 'c', 'd'].map((id) => queue.add(run(id), { state: 'SUCCESS' }));
    release();
    await Promise.all([first, ...later]);
    expect(batches).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('falls back to one by one when a batch fails, so one bad completion does not sink the others', async () => {
    const alone: string[] = [];
    const queue = new CompletionQueue(
      async (batch: readonly Completion[]) => {
        if (batch.length > 1) throw new Error('batch failed');
      },
      async (batch) => {
        const [item] = batch;
        if (item?.run.id === 'bad') throw new Error('cannot plan bad');
        alone.push(item?.run.id ?? '');
      },
    );
    const block = queue.add(run('first'), { state: 'SUCCESS' });
    const results = await Promise.allSettled([block, ...['x', 'bad', 'y'].map((id) => queue.add(run(id), { state: 'SUCCESS' }))]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(alone).toEqual(['x', 'y']);
  });
});
