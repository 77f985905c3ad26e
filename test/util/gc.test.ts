// `signet iac` collects garbage between phases (issue 8 item 5): the collection must really happen
// without `node --expose-gc`, and be skipped on a small heap.
import { setTimeout as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../src/util/gc.js';

async function droppedRef(): Promise<WeakRef<object>> {
  const ref = new WeakRef({ payload: new Array(1000).fill('x') });
  // A WeakRef's target is kept until the current job ends.
  await tick(1);
  return ref;
}

describe('collectGarbage', () => {
  it('frees what nothing refers to any more', async () => {
    const ref = await droppedRef();
    collectGarbage();
    expect(ref.deref()).toBeUndefined();
  });

  it('does nothing while the heap is below the given size', async () => {
    const ref = await droppedRef();
    collectGarbage(Number.MAX_SAFE_INTEGER);
    expect(ref.deref()).toBeDefined();
  });
});
