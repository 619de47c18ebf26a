/**
 * Failure mode 3 (retained instances or unbounded stats, opossum#363/#648): policies keep no
 * global registry and no per-call history, so memory follows what is alive, not what happened.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { bulkhead, circuitBreaker, createEventHub, loadShedder, pipeline, retry, timeout, type EventHub, type Policy } from '../../src/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const MB = 1024 * 1024;

/** Every kind of policy, composed, all reporting to `events`. */
function stack(events: EventHub): Policy {
  return pipeline(
    loadShedder({ events, maxInFlight: 100 }),
    retry({ events, maxAttempts: 2 }),
    circuitBreaker({ events, window: { kind: 'time', durationMs: 10_000, buckets: 10, failureRate: 0.5, minimumCalls: 10 } }),
    timeout({ events, ms: 1_000 }),
    bulkhead({ events, limit: 10 }),
  );
}

describe('memory (failure mode 3)', () => {
  it('10,000 short-lived policies and 200,000 calls on one stack leave the heap where it was, and no performance entry', async () => {
    const events = createEventHub();
    let seen = 0;
    const stop = events.on('retry', () => void seen++);
    const task = async (): Promise<number> => 42;
    // Warm up (JIT code, inline caches), then measure.
    for (let i = 0; i < 1_000; i++) await stack(events).execute(task);
    const before = heapAfterGc();

    for (let i = 0; i < 10_000; i++) {
      const controller = new AbortController();
      expect(await stack(events).execute(task, { signal: controller.signal })).toBe(42);
    }
    const shared = stack(events);
    const signal = new AbortController().signal;
    for (let i = 0; i < 200_000; i++) await shared.execute(task, i % 2 === 0 ? { signal } : undefined);

    const growthMb = (heapAfterGc() - before) / MB;
    stop();
    expect(seen).toBe(0); // nothing failed: the stack really ran the happy path
    expect(growthMb).toBeLessThan(5);
    expect(performance.getEntries()).toEqual([]);
  }, 60_000);

  it('negative control: the same measurement sees 10,000 retained 1 KB records', () => {
    const before = heapAfterGc();
    const retained: number[][] = [];
    // 128 doubles: about 1 KB of heap each (typed arrays would live outside the heap).
    for (let i = 0; i < 10_000; i++) retained.push(Array.from({ length: 128 }, (_, j) => i + j + 0.5));
    const growthMb = (heapAfterGc() - before) / MB;
    expect(retained).toHaveLength(10_000);
    expect(growthMb).toBeGreaterThan(5);
  });
});
