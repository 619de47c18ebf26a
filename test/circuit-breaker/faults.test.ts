// The breaker under hostile inputs and awkward interleavings: thenables whose `then` throws,
// probes left over from an earlier half-open period, listeners that move the circuit while an
// event is being delivered, calls whose caller left, and clocks far from 0.
import { describe, expect, it } from 'vitest';
import { circuitBreaker, createEventHub, isCircuitOpenError, type CircuitBreakerOptions } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { watchProcess } from '../helpers/process-watch.js';
import { deferred, fail, flush, ok, recorder, rejection } from './helpers.js';

function halfOpen(options: CircuitBreakerOptions = {}) {
  const clock = new ManualClock();
  const rec = recorder();
  const breaker = circuitBreaker({ clock, events: rec.events, window: { kind: 'consecutive', failures: 1 }, openMs: 100, ...options });
  return { clock, rec, breaker };
}

/** A thenable whose `then` throws when called. */
const throwingThen = (error: Error): PromiseLike<never> => ({
  then() {
    throw error;
  },
});

/** A thenable whose `then` getter throws. */
const throwingGetter = (error: Error): PromiseLike<never> =>
  Object.defineProperty({}, 'then', {
    get() {
      throw error;
    },
  }) as PromiseLike<never>;

describe('thenables whose then throws', () => {
  for (const [label, make] of [['`then` throws', throwingThen], ['the `then` getter throws', throwingGetter]] as const) {
    it(`a probe whose function returns a thenable where ${label} rejects (never throws), re-opens, and leaves no timer or unhandled rejection`, async () => {
      const watch = watchProcess();
      try {
        const { clock, breaker, rec } = halfOpen({ halfOpen: { probeTimeoutMs: 50 } });
        await fail(breaker, 1);
        await clock.advance(100);
        const error = new Error('bad thenable');
        let call: Promise<unknown> | undefined;
        expect(() => (call = breaker.execute(() => make(error)))).not.toThrow();
        expect(await rejection(call as Promise<unknown>)).toBe(error);
        expect(breaker.state).toBe('open');
        expect(rec.states().at(-1)).toBe('half-open->open:probe-failed');
        expect(clock.pendingTimers).toBe(0);
        await clock.advance(1_000);
        await flush();
        expect(watch.unhandled).toEqual([]);
      } finally {
        watch.stop();
      }
    });

    it(`a closed call whose function returns a thenable where ${label} rejects (never throws) and counts as a failure`, async () => {
      const breaker = circuitBreaker({ window: { kind: 'consecutive', failures: 1 } });
      const error = new Error('bad thenable');
      let call: Promise<unknown> | undefined;
      expect(() => (call = breaker.execute(() => make(error)))).not.toThrow();
      expect(await rejection(call as Promise<unknown>)).toBe(error);
      expect(breaker.state).toBe('open');
    });
  }

  it('a closed call whose function returns a native promise with a patched `then` follows the promise itself, as `await` does (never throws, counts once)', async () => {
    const breaker = circuitBreaker({ window: { kind: 'consecutive', failures: 1 } });
    const patched = (promise: Promise<string>): Promise<string> =>
      Object.assign(promise, {
        then: () => {
          throw new Error('patched then');
        },
      });
    let call: Promise<unknown> | undefined;
    expect(() => (call = breaker.execute(() => patched(Promise.resolve('fine'))))).not.toThrow();
    expect(await call).toBe('fine');
    expect(breaker.state).toBe('closed');
    // A patched `then` that calls back twice is not asked at all: one failure is one failure.
    const twice = Object.assign(Promise.reject(new Error('down')), {
      then(_: unknown, onRejected: (e: unknown) => void): void {
        onRejected(new Error('first'));
        onRejected(new Error('second'));
      },
    });
    const counting = circuitBreaker({ window: { kind: 'consecutive', failures: 5 } });
    await expect(counting.execute(() => twice)).rejects.toThrow('down');
    expect(counting.metrics().failures).toBe(1);
  });
});

describe('probes left over from an earlier half-open period', () => {
  it('failure mode 13: a probe still running from an earlier half-open period keeps its slot, so the downstream never sees more than maxProbes trial calls', async () => {
    const { clock, breaker } = halfOpen({ halfOpen: { maxProbes: 2, probeTimeoutMs: 10_000 } });
    await fail(breaker, 1);
    await clock.advance(100);
    let running = 0;
    let most = 0;
    const hang = () => {
      most = Math.max(most, ++running);
      return new Promise<string>(() => undefined);
    };
    const hung = breaker.execute(hang).catch(() => undefined); // probe 1 hangs
    await fail(breaker, 1); // probe 2 fails: open again, probe 1 still running
    expect(breaker.state).toBe('open');
    await clock.advance(100);
    const calls = Array.from({ length: 5 }, () => breaker.execute(hang).catch((e: unknown) => (isCircuitOpenError(e) ? 'rejected' : 'other')));
    await flush();
    expect(most).toBe(2);
    expect(breaker.metrics().probesInFlight).toBe(2);
    // The leftover probe (deadline 10,100) is given up: stale, it frees its slot and moves nothing.
    await clock.advance(9_900);
    await hung;
    expect(breaker.state).toBe('half-open');
    expect(breaker.metrics().probesInFlight).toBe(1);
    expect(breaker.isCallPermitted()).toBe(true);
    expect(await Promise.all(calls.slice(1))).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
  });

  it('a probe left running across reset() holds its slot until it ends, then frees it without moving the circuit', async () => {
    const { clock, breaker, rec } = halfOpen({ halfOpen: { probeTimeoutMs: 1_000 } });
    await fail(breaker, 1);
    await clock.advance(100);
    const probe = breaker.execute(() => new Promise<string>(() => undefined)).catch(() => 'gave up');
    breaker.reset();
    await fail(breaker, 1);
    await clock.advance(100);
    expect(breaker.state).toBe('half-open');
    expect(breaker.isCallPermitted()).toBe(false); // the old probe is still calling the dependency
    const refused = await rejection(breaker.execute(ok));
    expect(isCircuitOpenError(refused) && refused.retryAfterMs).toBe(900); // the old probe's deadline: 1,100
    await clock.advance(900);
    expect(await probe).toBe('gave up');
    expect(breaker.state).toBe('half-open');
    expect(rec.states().filter((s) => s.includes('probe-timeout'))).toEqual([]);
    expect(await breaker.execute(ok)).toBe('ok');
    expect(breaker.state).toBe('closed');
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('the untimed closed path (no call listener, no slowCallMs, no signal)', () => {
  it('failure mode 17: outcomes of calls admitted before an opening are ignored after the probe closes the circuit', async () => {
    const clock = new ManualClock();
    const breaker = circuitBreaker({ clock, window: { kind: 'consecutive', failures: 2 }, openMs: 100 });
    const gates = Array.from({ length: 3 }, () => deferred<string>());
    const earlier = gates.map((g) => breaker.execute(() => g.promise).catch(() => 'failed'));
    await fail(breaker, 2);
    await clock.advance(100);
    expect(await breaker.execute(ok)).toBe('ok');
    expect(breaker.state).toBe('closed');
    gates.forEach((g) => g.reject(new Error('late')));
    expect(await Promise.all(earlier)).toEqual(['failed', 'failed', 'failed']);
    expect(breaker.state).toBe('closed'); // 3 late failures would have re-opened a 2-failure window
    expect(breaker.metrics().calls).toBe(0);
    await fail(breaker, 2); // calls of the new generation still count
    expect(breaker.state).toBe('open');
  });
});

describe('listeners that move the circuit', () => {
  it('failure mode 18: a state listener that isolates the circuit does not make other listeners see the transitions out of order', async () => {
    const clock = new ManualClock();
    const events = createEventHub();
    const breaker = circuitBreaker({ clock, events, window: { kind: 'consecutive', failures: 1 }, openMs: 100 });
    events.on('circuit.state', (e) => {
      if (e.to === 'open') breaker.isolate(); // registered first: runs first
    });
    const seen: string[] = [];
    events.on('circuit.state', (e) => seen.push(`${e.from}->${e.to}`));
    await fail(breaker, 1);
    expect(breaker.state).toBe('isolated');
    expect(seen).toEqual(['closed->open', 'open->isolated']);
  });

  it('failure mode 18: a call made by a state listener is reported after the transition that led to it, for every listener', async () => {
    const clock = new ManualClock();
    const events = createEventHub();
    const breaker = circuitBreaker({ clock, events, window: { kind: 'consecutive', failures: 1 }, openMs: 100 });
    events.on('circuit.state', (e) => {
      if (e.to === 'open') void breaker.execute(ok).catch(() => undefined); // registered first: runs first
    });
    const seen: string[] = [];
    events.onAny((e) => seen.push(e.type === 'circuit.state' ? `${e.from}->${e.to}` : e.type));
    await fail(breaker, 1);
    expect(seen).toEqual(['circuit.failure', 'closed->open', 'circuit.rejected']);
  });

  it('failure mode 8: a caller aborted by a state listener while its call moves the circuit to half-open never runs and holds no probe slot', async () => {
    const { clock, rec, breaker } = halfOpen();
    await fail(breaker, 1);
    await clock.advance(100);
    const controller = new AbortController();
    rec.events.on('circuit.state', (e) => {
      if (e.to === 'half-open') controller.abort(new Error('caller left'));
    });
    let ran = false;
    const call = breaker.execute(() => {
      ran = true;
      return 'ran';
    }, { signal: controller.signal });
    expect(await rejection(call)).toEqual(new Error('caller left'));
    expect(ran).toBe(false);
    expect(breaker.metrics().probesInFlight).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('calls whose caller left', () => {
  it('failure mode 19: a closed call whose caller aborted is not recorded, whatever its function settles with later', async () => {
    const rec = recorder();
    const breaker = circuitBreaker({
      events: rec.events,
      window: { kind: 'count', size: 10, minimumCalls: 1, failureRate: 1 },
      isFailure: (o) => (o.ok ? o.value === 503 : true),
    });
    let answer!: (status: number) => void;
    const controller = new AbortController();
    const call = rejection(breaker.execute(() => new Promise<number>((resolve) => (answer = resolve)), { signal: controller.signal }));
    controller.abort(new Error('user left'));
    await call;
    answer(503); // the function ignored the abort and answered later
    await flush();
    expect(breaker.state).toBe('closed');
    expect(breaker.metrics().calls).toBe(0);
    expect(rec.log.filter((e) => e.type === 'circuit.ignored').map((e) => e.type === 'circuit.ignored' && e.reason)).toEqual(['aborted']);
  });
});

describe('clocks far from 0', () => {
  it('keeps its timing with a clock near 2^53', async () => {
    const clock = new ManualClock({ start: Number.MAX_SAFE_INTEGER - 1e7 });
    for (const window of [{ kind: 'consecutive', failures: 1 }, { kind: 'time', durationMs: 1_000, buckets: 10, minimumCalls: 1 }] as const) {
      const breaker = circuitBreaker({ clock, window, openMs: 1_000 });
      await fail(breaker, 1);
      await clock.advance(400);
      expect((await rejection(breaker.execute(ok)) as { retryAfterMs: number }).retryAfterMs).toBe(600);
      await clock.advance(600);
      expect(await breaker.execute(ok)).toBe('ok');
      expect(breaker.state).toBe('closed');
      expect(breaker.metrics().calls).toBe(0);
    }
  });
});
