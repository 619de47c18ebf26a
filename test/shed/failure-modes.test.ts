import { getEventListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEventHub, isLoadShedError, loadShedder, type ShedPriority } from '../../src/index.js';
import { ManualClock, seededRandom } from '../../src/testing.js';
import { flush, handClock } from './helpers.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('loadShedder › failure modes', () => {
  it('failure mode 32: 10^5 random operations with throwing tasks and listeners keep the ledger balanced', async () => {
    const random = seededRandom(7);
    const clock = new ManualClock();
    let listenerErrors = 0;
    const events = createEventHub({ onListenerError: () => listenerErrors++ });
    let shedEvents = 0;
    events.on('shed', () => {
      shedEvents++;
      throw new Error('listener throws on every event');
    });
    events.onAny(() => {
      throw new Error('so does this one');
    });
    const shedder = loadShedder({ clock, events, maxInFlight: 16, targetQueueDelayMs: 5, latency: { targetMs: 20, windowMs: 1_000 }, ramp: 0.2, random });
    // Work side: admitted = ended + running (the shedder's inFlight). Caller side: every call
    // settles once, as done, failed, aborted or shed.
    const work = { admitted: 0, ended: 0 };
    const caller = { calls: 0, done: 0, failed: 0, aborted: 0, shed: 0 };
    const pending: Array<(how: number) => void> = [];
    const calls: Promise<void>[] = [];
    const priorities: ShedPriority[] = ['critical', 'normal', 'sheddable'];
    for (let i = 0; i < 100_000; i++) {
      const r = random();
      if (r < 0.5) {
        const controller = new AbortController();
        caller.calls++;
        const call = shedder
          .execute(
            ({ signal }) => {
              work.admitted++;
              if (random() < 0.05) {
                work.ended++;
                throw new Error('sync throw');
              }
              const honoursAbort = random() < 0.5;
              return new Promise<void>((resolve, reject) => {
                let ended = false;
                const end = (settle: () => void) => {
                  if (ended) return;
                  ended = true;
                  work.ended++;
                  settle();
                };
                if (honoursAbort) signal.addEventListener('abort', () => end(() => reject(signal.reason)));
                pending.push((how) => {
                  if (how < 0.5) end(resolve);
                  else if (how < 0.7) end(() => reject(new Error('fail')));
                  else {
                    // The caller gives up; work that ignores its signal ends later.
                    controller.abort(new Error('abort'));
                    if (!ended) pending.push(() => end(resolve));
                  }
                });
              });
            },
            { signal: controller.signal, priority: priorities[Math.floor(random() * 3)] as ShedPriority },
          )
          .then(
            () => void caller.done++,
            (e: unknown) => {
              if (isLoadShedError(e)) caller.shed++;
              else if (e instanceof Error && e.message === 'abort') caller.aborted++;
              else caller.failed++;
            },
          );
        calls.push(call);
      } else if (r < 0.85 && pending.length > 0) {
        const [finish] = pending.splice(Math.floor(random() * pending.length), 1);
        finish?.(random());
      } else if (r < 0.95) {
        shedder.recordQueueDelay(random() * 10);
      } else {
        await clock.advance(Math.floor(random() * 50));
      }
      expect(shedder.inFlight).toBeLessThanOrEqual(16);
      if (i % 1_000 === 0) {
        await flush();
        expect(work.admitted).toBe(work.ended + shedder.inFlight);
      }
    }
    // Finish everything still running.
    while (pending.length > 0) {
      for (const finish of pending.splice(0)) finish(0);
      await flush();
    }
    await Promise.all(calls);
    expect(shedder.inFlight).toBe(0);
    expect(work.admitted).toBe(work.ended);
    expect(caller.calls).toBe(caller.done + caller.failed + caller.aborted + caller.shed);
    expect(caller.done + caller.failed + caller.aborted).toBe(work.admitted);
    expect(shedder.snapshot()).toMatchObject({ admitted: work.admitted, shed: caller.shed });
    expect(caller.shed).toBeGreaterThan(0);
    expect(shedEvents).toBe(caller.shed);
    // failure mode 34: every throw of both listeners was reported once, and changed nothing else.
    expect(listenerErrors).toBe(2 * caller.shed);
  });

  it('failure mode 4: one long-lived signal through 10,000 calls keeps no listener and raises no warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    const shedder = loadShedder({ maxInFlight: 100_000 });
    const signal = new AbortController().signal;
    const calls = Array.from({ length: 10_000 }, (_, i) => shedder.execute(() => Promise.resolve(i), { signal, priority: i % 2 ? 'sheddable' : 'normal' }));
    expect(getEventListeners(signal, 'abort').length).toBeLessThanOrEqual(3); // one per priority view at most
    await Promise.all(calls);
    await flush();
    process.off('warning', onWarning);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    expect(warnings).toHaveLength(0);
  });

  it('failure mode 36: decisions follow the injected clock only; no real clock, no timer', () => {
    const clock = handClock();
    const dateNow = vi.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('Date.now read');
    });
    const perfNow = vi.spyOn(performance, 'now').mockImplementation(() => {
      throw new Error('performance.now read');
    });
    const shedder = loadShedder({ clock, maxInFlight: 4, targetQueueDelayMs: 10, latency: { targetMs: 50, windowMs: 1_000, minSamples: 1 } });
    const slow = shedder.tryAdmit('critical');
    clock.t = 200;
    slow?.release();
    expect(shedder.isOverloaded()).toBe(true); // p99 = 200 ms > 50 ms
    // Date.now and performance.now throw if read, so a wall-clock jump (NTP step of ±1 h) cannot
    // reach any decision: only the injected monotonic clock moves the window.
    expect(shedder.pressure()).toBe(1);
    clock.t = 1_201; // monotonic time passes a whole window: the sample is gone
    expect(shedder.pressure()).toBe(0);
    shedder.recordQueueDelay(50);
    clock.t = 1_301;
    expect(shedder.snapshot().loads.queueDelay).toBe(5);
    expect(dateNow).not.toHaveBeenCalled();
    expect(perfNow).not.toHaveBeenCalled();
  });

  it('failure mode 3: memory is fixed whatever the number of calls and samples', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const clock = handClock();
    const shedder = loadShedder({ clock, maxInFlight: 64, targetQueueDelayMs: 5, latency: { targetMs: 20, windowMs: 60_000 }, pressure: () => 0.1 });
    const churn = (n: number) => {
      for (let i = 0; i < n; i++) {
        clock.t += 0.01;
        const permit = shedder.tryAdmit('critical');
        permit?.started();
        clock.t += (i % 50) * 0.1;
        permit?.release();
        shedder.recordQueueDelay(i % 7);
      }
    };
    churn(10_000);
    gc();
    const before = process.memoryUsage().heapUsed;
    churn(1_000_000); // every sample stays in the 60 s window
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    expect(grown).toBeLessThan(1_000_000); // one stored number per sample would be 8 MB
    expect(shedder.snapshot().admitted).toBe(1_010_000);
  });
});
