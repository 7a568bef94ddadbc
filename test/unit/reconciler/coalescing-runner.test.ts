import { describe, expect, it } from 'vitest';
import { CoalescingRunner } from '../../../controller/util/coalescing-runner.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('CoalescingRunner', () => {
  it('runs once more after the current run, however many requests came in meanwhile', async () => {
    const gates = [deferred(), deferred()];
    let runs = 0;
    let active = 0;
    let overlapped = false;
    const runner = new CoalescingRunner(async () => {
      const gate = gates[runs++]!;
      active++;
      if (active > 1) overlapped = true;
      await gate.promise;
      active--;
    });
    const first = runner.run();
    const second = runner.run();
    const third = runner.run();
    expect(second).toBe(third);
    gates[0]!.resolve();
    await first;
    gates[1]!.resolve();
    await second;
    expect(runs).toBe(2);
    expect(overlapped).toBe(false);
  });

  it('keeps going after a run that throws', async () => {
    let runs = 0;
    const runner = new CoalescingRunner(async () => {
      runs++;
      if (runs === 1) throw new Error('boom');
    });
    await runner.run();
    await runner.run();
    expect(runs).toBe(2);
    await runner.idle();
  });
});
