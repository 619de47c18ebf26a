// Races explored with fc.scheduler: the order in which concurrent calls start and settle.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { circuitBreaker, isCircuitOpenError } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { deferred, fail, flush, recorder } from './helpers.js';

describe('circuit breaker races (fc.scheduler)', () => {
  it('failure mode 13: 1,000 concurrent calls after the cooldown while the probe hangs call the downstream exactly maxProbes times', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 1, max: 5 }), async (s, maxProbes) => {
        const clock = new ManualClock();
        const breaker = circuitBreaker({ clock, window: { kind: 'consecutive', failures: 1 }, openMs: 100, halfOpen: { maxProbes, probeTimeoutMs: 60_000 } });
        await fail(breaker, 1);
        await clock.advance(100);
        let downstream = 0;
        const hang = () => {
          downstream++;
          return new Promise<never>(() => undefined);
        };
        let rejectedOpen = 0;
        let other = 0;
        for (let i = 0; i < 1_000; i++) {
          // Each call starts at a point the scheduler picks.
          void s.schedule(Promise.resolve(i)).then(() =>
            breaker.execute(hang).then(
              () => other++,
              (e: unknown) => (isCircuitOpenError(e) ? rejectedOpen++ : other++),
            ),
          );
        }
        await s.waitAll();
        await flush(); // no time passes: whoever was refused has been told already
        const fast = rejectedOpen;
        expect(other).toBe(0);
        expect(downstream).toBe(maxProbes);
        expect(fast).toBe(1_000 - maxProbes); // rejected within the same turn
        expect(breaker.metrics().probesInFlight).toBe(maxProbes);
      }),
      { numRuns: 15 },
    );
  });

  it('failure mode 14: 50 failures settling in the same tick in any order still let a probe through after openMs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 1, max: 50 }), async (s, failures) => {
        const clock = new ManualClock();
        const rec = recorder();
        const breaker = circuitBreaker({ clock, events: rec.events, window: { kind: 'consecutive', failures }, openMs: 1_000 });
        const downstream = s.scheduleFunction(async (i: number) => {
          throw new Error(`failure ${i}`);
        });
        const calls = Array.from({ length: 50 }, (_, i) => breaker.execute(() => downstream(i)).catch(() => undefined));
        await s.waitAll();
        await Promise.all(calls);
        expect(breaker.state).toBe('open');
        expect(rec.states()).toEqual(['closed->open:failure-threshold']); // one opening, not one per failure
        await clock.advance(1_000);
        let probes = 0;
        expect(await breaker.execute(() => ++probes)).toBe(1);
        expect(breaker.state).toBe('closed');
      }),
      { numRuns: 50 },
    );
  });

  it('failure mode 17: outcomes of calls admitted earlier never flip the state the probe decided, in any order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }), fc.boolean(), async (s, stale, probeOk) => {
        const clock = new ManualClock();
        const rec = recorder();
        const breaker = circuitBreaker({ clock, events: rec.events, window: { kind: 'consecutive', failures: 2 }, openMs: 100 });
        const gates = stale.map(() => deferred<string>());
        const earlier = gates.map((g) => breaker.execute(() => g.promise).catch(() => undefined));
        await fail(breaker, 2);
        await clock.advance(100);
        const probe = breaker.execute(s.scheduleFunction(async () => {
          if (!probeOk) throw new Error('probe failed');
          return 'ok';
        })).catch(() => undefined);
        stale.forEach((succeeds, i) => {
          void s.schedule(Promise.resolve(i)).then(() => (succeeds ? gates[i]?.resolve('late') : gates[i]?.reject(new Error('late'))));
        });
        await s.waitAll();
        await Promise.all([probe, ...earlier]);
        expect(breaker.state).toBe(probeOk ? 'closed' : 'open');
        expect(breaker.metrics().calls).toBe(probeOk ? 0 : 2);
        expect(rec.log.filter((e) => e.type === 'circuit.state' && e.to === 'open')).toHaveLength(probeOk ? 1 : 2);
        expect(rec.log.filter((e) => e.type === 'circuit.ignored' && e.reason === 'stale')).toHaveLength(stale.length);
      }),
      { numRuns: 100 },
    );
  });

  it('an abort at any point of a probe frees its slot exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 1, max: 3 }), async (s, maxProbes) => {
        const clock = new ManualClock();
        const breaker = circuitBreaker({ clock, window: { kind: 'consecutive', failures: 1 }, openMs: 10, halfOpen: { maxProbes, successesToClose: 100 } });
        await fail(breaker, 1);
        await clock.advance(10);
        const controllers = Array.from({ length: maxProbes }, () => new AbortController());
        const probes = controllers.map((c) => breaker.execute(s.scheduleFunction(async () => 'ok'), { signal: c.signal }).catch(() => 'aborted'));
        controllers.forEach((c) => void s.schedule(Promise.resolve()).then(() => c.abort()));
        await s.waitAll();
        await Promise.all(probes);
        expect(breaker.state).toBe('half-open');
        expect(breaker.metrics().probesInFlight).toBe(0);
        expect(breaker.isCallPermitted()).toBe(true);
        expect(clock.pendingTimers).toBe(0);
      }),
      { numRuns: 100 },
    );
  });
});
