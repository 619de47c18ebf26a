// Every "Circuit breaker" item of failure-modes.md (13-20), and 12, 19, 34-36, by name.
// 14 (fc.scheduler) is in races.test.ts, 18 and 20 also in model.test.ts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { circuitBreaker, createEventHub, isCircuitOpenError, type CircuitBreakerOptions, type ResilienceEvent } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { boom, deferred, fail, flush, ok, recorder, rejection, succeed } from './helpers.js';

function setup(options: CircuitBreakerOptions = {}) {
  const clock = new ManualClock();
  const rec = recorder();
  const breaker = circuitBreaker({ clock, events: rec.events, window: { kind: 'consecutive', failures: 3 }, openMs: 1_000, ...options });
  return { clock, rec, breaker };
}

describe('circuit breaker failure modes', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('failure mode 12: reused rejection error grows its stack', async () => {
    const { breaker } = setup();
    await fail(breaker, 3);
    const stacks: string[] = [];
    for (let i = 0; i < 100; i++) stacks.push(((await rejection(breaker.execute(ok))) as Error).stack ?? '');
    const frames = new Set(stacks.map((s) => s.split('\n').length));
    const beyondMessage = new Set(stacks.map((s, i) => s.length - `${(stacks[i] ?? '').split('\n')[0]}`.length));
    expect([...frames]).toEqual([1]);
    expect([...beyondMessage]).toEqual([0]);
  });

  it('failure mode 13: half-open stampede', async () => {
    for (const maxProbes of [1, 3]) {
      const { clock, breaker } = setup({ halfOpen: { maxProbes, probeTimeoutMs: 60_000 } });
      await fail(breaker, 3);
      await clock.advance(1_000);
      let downstream = 0;
      const hang = () => {
        downstream++;
        return new Promise<string>(() => undefined);
      };
      const calls = Array.from({ length: 1_000 }, () => breaker.execute(hang));
      const results = await Promise.allSettled(calls.slice(maxProbes)); // the rest settle at once
      expect(downstream).toBe(maxProbes);
      expect(results.every((r) => r.status === 'rejected' && isCircuitOpenError(r.reason))).toBe(true);
      expect(breaker.metrics().probesInFlight).toBe(maxProbes);
    }
  });

  it('failure mode 15: stuck half-open: probe hangs, is cancelled, or throws an error that is not counted', async () => {
    const fates = ['hangs', 'cancelled', 'not counted'] as const;
    for (const fate of fates) {
      const { clock, breaker } = setup({ halfOpen: { probeTimeoutMs: 500 }, isFailure: (o) => !(!o.ok && o.error instanceof SyntaxError) });
      await fail(breaker, 3);
      await clock.advance(1_000);
      const controller = new AbortController();
      const probe = breaker.execute(
        () => (fate === 'not counted' ? Promise.reject(new SyntaxError('ignored')) : new Promise<string>(() => undefined)),
        { signal: controller.signal },
      );
      probe.catch(() => undefined);
      if (fate === 'cancelled') controller.abort(new Error('stop'));
      await clock.advance(500);
      // Within the probe timeout: re-opened (hang) or a new probe is admitted (cancelled, not counted).
      if (fate === 'hangs') expect(breaker.state, fate).toBe('open');
      else expect(breaker.isCallPermitted(), fate).toBe(true);
      expect(clock.pendingTimers, fate).toBe(0);
    }
  });

  it('failure mode 16: failed probe does not re-open', async () => {
    const { clock, breaker, rec } = setup();
    await fail(breaker, 3);
    await clock.advance(1_000);
    await fail(breaker, 1);
    expect(breaker.state).toBe('open');
    const opens = rec.log.filter((e) => e.type === 'circuit.state' && e.to === 'open');
    expect(opens).toHaveLength(2);
    expect(breaker.metrics().retryAfterMs).toBe(1_000); // exactly one fresh cooldown...
    expect(clock.pendingTimers).toBe(0); // ...and no timer: it is measured, not scheduled
    await clock.advance(1_000);
    expect(breaker.state).toBe('half-open');
  });

  it('failure mode 17: calls from an earlier state flip the current state', async () => {
    const { clock, breaker, rec } = setup();
    const slow = Array.from({ length: 5 }, () => deferred<string>());
    const pending = slow.map((d) => breaker.execute(() => d.promise).catch(() => 'failed'));
    await fail(breaker, 3); // opens while the slow calls are still running
    await clock.advance(1_000);
    await succeed(breaker, 1); // the probe's generation closes the circuit
    expect(breaker.state).toBe('closed');
    for (const d of slow) d.reject(new Error('late'));
    await Promise.all(pending);
    expect(breaker.state).toBe('closed');
    expect(breaker.metrics().failures).toBe(0);
    expect(rec.log.filter((e) => e.type === 'circuit.state' && e.to === 'open')).toHaveLength(1);
    expect(rec.log.filter((e) => e.type === 'circuit.ignored' && e.reason === 'stale')).toHaveLength(5);
  });

  it('failure mode 18: illegal or duplicate transitions', async () => {
    const { clock, breaker, rec } = setup({ halfOpen: { maxProbes: 2, successesToClose: 2, probeTimeoutMs: 100 } });
    await fail(breaker, 3);
    for (let i = 0; i < 3; i++) breaker.state; // repeated reads: one transition at most
    await clock.advance(1_000);
    const probes = [breaker.execute(ok), breaker.execute(boom)];
    await Promise.allSettled(probes);
    await clock.advance(1_000);
    await succeed(breaker, 2);
    const h = breaker.isolate();
    breaker.isolate();
    breaker.reset();
    h.release();
    breaker.reset();
    const transitions = rec.log.filter((e) => e.type === 'circuit.state');
    let state = 'closed';
    for (const e of transitions) {
      expect(e.from).toBe(state);
      expect(e.to).not.toBe(e.from);
      state = e.to;
    }
    expect(state).toBe(breaker.state);
    expect(rec.states()).toEqual([
      'closed->open:failure-threshold',
      'open->half-open:open-elapsed',
      'half-open->open:probe-failed',
      'open->half-open:open-elapsed',
      'half-open->closed:probes-succeeded',
      'closed->isolated:isolated',
      'isolated->closed:reset',
    ]);
  });

  it('failure mode 19: cancellations, rejections or unhandled errors counted as failures', async () => {
    const { clock, breaker } = setup({ window: { kind: 'count', size: 5_000, minimumCalls: 1, failureRate: 0.5 } });
    await succeed(breaker, 1);
    await fail(breaker, 1);
    const before = breaker.metrics();
    // 1,000 caller-aborted calls: their functions reject with the abort reason, or fail later.
    for (let i = 0; i < 1_000; i++) {
      const controller = new AbortController();
      const call = breaker.execute(
        ({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(i % 2 === 0 ? signal.reason : new Error('late')))),
        { signal: controller.signal },
      );
      controller.abort(new Error('user pressed stop'));
      await call.catch(() => undefined);
    }
    // 1,000 calls failing with rejections of other policies (a nested breaker isolated, open).
    const nested = circuitBreaker({ clock });
    const hold = nested.isolate();
    for (let i = 0; i < 1_000; i++) await breaker.execute(() => nested.execute(ok)).catch(() => undefined);
    hold.release();
    expect(breaker.metrics()).toMatchObject({ calls: before.calls, failures: before.failures });
    // 1,000 calls rejected while open are not counted either.
    breaker.isolate();
    for (let i = 0; i < 1_000; i++) await breaker.execute(ok).catch(() => undefined);
    expect(breaker.metrics()).toMatchObject({ calls: before.calls, failures: before.failures });
  });

  it('failure mode 20: window arithmetic (an empty window, minimumCalls, exact thresholds)', async () => {
    const { breaker } = setup({ window: { kind: 'count', size: 10, failureRate: 0.3, minimumCalls: 10 } });
    expect(breaker.metrics()).toMatchObject({ failureRate: 0, slowCallRate: 0 });
    await succeed(breaker, 7);
    await fail(breaker, 2);
    expect(breaker.state).toBe('closed'); // 9 calls: below the minimum
    await fail(breaker, 1);
    expect(breaker.state).toBe('open'); // 3/10 = 0.3 exactly (no 0.1 + 0.2 drift)
  });

  it('failure mode 34: throwing listener or hook breaks or hangs the policy', async () => {
    const run = async (throwing: boolean) => {
      const errors: unknown[] = [];
      const events = createEventHub({ onListenerError: (error) => errors.push(error) });
      const seen: string[] = [];
      if (throwing) {
        events.onAny(() => {
          throw new Error('listener');
        });
      }
      events.onAny((e) => seen.push(e.type));
      const clock = new ManualClock();
      const breaker = circuitBreaker({ clock, events, window: { kind: 'consecutive', failures: 2 }, openMs: 100, halfOpen: { probeTimeoutMs: 10 } });
      const outcomes: string[] = [];
      const note = (p: Promise<unknown>) => p.then((v) => outcomes.push(`ok:${String(v)}`), (e: Error) => outcomes.push(`err:${e.message}`));
      await note(breaker.execute(ok));
      await note(breaker.execute(boom));
      await note(breaker.execute(boom));
      await note(breaker.execute(ok));
      await clock.advance(100);
      const hung = note(breaker.execute(() => new Promise(() => undefined)));
      await clock.advance(10);
      await hung;
      await clock.advance(100);
      await note(breaker.execute(ok));
      return { outcomes, seen, errors, state: breaker.state };
    };
    const quiet = await run(false);
    const noisy = await run(true);
    expect(noisy.outcomes).toEqual(quiet.outcomes);
    expect(noisy.state).toBe(quiet.state);
    expect(noisy.seen).toEqual(quiet.seen); // the other listener still ran for every event
    expect(noisy.errors).toHaveLength(noisy.seen.length); // each error reported once
  });

  it('failure mode 35: missing or duplicate events', async () => {
    const { clock, breaker, rec } = setup({ window: { kind: 'consecutive', failures: 2 }, halfOpen: { maxProbes: 1, probeTimeoutMs: 50 } });
    let calls = 0;
    const run = (p: Promise<unknown>) => {
      calls++;
      return p.catch(() => undefined);
    };
    const controller = new AbortController();
    // A closed-state call is reported when its function settles (here: it honours its signal).
    const honours = ({ signal }: { signal: AbortSignal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    const aborted = run(breaker.execute(honours, { signal: controller.signal }));
    controller.abort();
    await aborted;
    await run(breaker.execute(ok));
    await run(breaker.execute(boom));
    await run(breaker.execute(boom)); // opens
    await run(breaker.execute(ok)); // rejected
    await clock.advance(1_000);
    const probe = run(breaker.execute(() => new Promise(() => undefined)));
    await run(breaker.execute(ok)); // rejected: the probe holds the slot
    await clock.advance(50); // the probe times out
    await probe;
    await flush();
    const terminal = rec.log.filter((e) => ['circuit.success', 'circuit.failure', 'circuit.ignored', 'circuit.rejected'].includes(e.type));
    expect(terminal).toHaveLength(calls);
    const count = (type: ResilienceEvent['type']) => rec.log.filter((e) => e.type === type).length;
    expect([count('circuit.ignored'), count('circuit.success'), count('circuit.failure'), count('circuit.rejected')]).toEqual([1, 1, 3, 2]);
    expect(count('circuit.state')).toBe(3);
  });

  it('failure mode 36: wall-clock dependence', async () => {
    const realSetTimeout = vi.spyOn(globalThis, 'setTimeout');
    const perfNow = vi.spyOn(performance, 'now');
    const wall = vi.spyOn(Date, 'now');
    const { clock, breaker, rec } = setup({ halfOpen: { probeTimeoutMs: 300 } });
    await fail(breaker, 3);
    const base = Date.now();
    wall.mockReturnValue(base + 3_600_000); // the wall clock jumps 1 h forward mid-cooldown
    expect(breaker.state).toBe('open');
    await clock.advance(500);
    wall.mockReturnValue(base - 3_600_000); // and 1 h back
    expect(breaker.state).toBe('open');
    expect(breaker.metrics().retryAfterMs).toBe(500);
    await clock.advance(500);
    expect(breaker.state).toBe('half-open');
    const probe = breaker.execute(() => new Promise(() => undefined)).catch(() => undefined);
    await clock.advance(300);
    await probe;
    expect(rec.states().at(-1)).toBe('half-open->open:probe-timeout');
    expect(realSetTimeout).not.toHaveBeenCalled();
    expect(perfNow).not.toHaveBeenCalled();
  });
});
