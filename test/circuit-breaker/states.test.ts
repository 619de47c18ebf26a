import { describe, expect, it } from 'vitest';
import {
  circuitBreaker,
  CircuitOpenError,
  constantBackoff,
  exponentialBackoff,
  isCircuitOpenError,
  isIsolatedCircuitError,
  isTimeoutError,
  linearBackoff,
  type Backoff,
  type CircuitBreakerOptions,
} from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { boom, deferred, fail, flush, ok, recorder, rejection, succeed } from './helpers.js';

function opened(options: CircuitBreakerOptions = {}) {
  const clock = new ManualClock();
  const rec = recorder();
  const breaker = circuitBreaker({ clock, events: rec.events, window: { kind: 'consecutive', failures: 1 }, openMs: 1_000, ...options });
  return { clock, breaker, rec };
}

describe('open', () => {
  it('rejects at once with CircuitOpenError carrying retryAfterMs, without calling the function', async () => {
    const { clock, breaker } = opened();
    await fail(breaker, 1);
    await clock.advance(250);
    let calls = 0;
    const error = await rejection(breaker.execute(() => ++calls));
    expect(calls).toBe(0);
    expect(isCircuitOpenError(error)).toBe(true);
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect((error as CircuitOpenError).retryAfterMs).toBe(750);
    expect((error as CircuitOpenError).message).toBe('Circuit "circuit-breaker" is open; retry after 750 ms');
  });

  it('moves to half-open on the first read after openMs, with no timer', async () => {
    const { clock, breaker, rec } = opened();
    await fail(breaker, 1);
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(999);
    expect(breaker.state).toBe('open');
    await clock.advance(1);
    expect(rec.states()).toEqual(['closed->open:failure-threshold']);
    expect(breaker.state).toBe('half-open');
    expect(rec.states()).toEqual(['closed->open:failure-threshold', 'open->half-open:open-elapsed']);
  });

  it('openMs 0 lets the next call probe at once', async () => {
    const { breaker } = opened({ openMs: 0 });
    await fail(breaker, 1);
    expect(await breaker.execute(ok)).toBe('ok');
    expect(breaker.state).toBe('closed');
  });

  it('a backoff openMs grows with each opening in a row and starts again when the circuit closes', async () => {
    const { clock, breaker, rec } = opened({ openMs: exponentialBackoff({ initialMs: 100, factor: 2, maxMs: 1_000, jitter: 'none' }) });
    const openings = () => rec.log.flatMap((e) => (e.type === 'circuit.state' && e.to === 'open' ? [e.openMs] : []));
    await fail(breaker, 1);
    for (const ms of [100, 200, 400]) {
      await clock.advance(ms);
      await fail(breaker, 1); // the probe fails
    }
    expect(openings()).toEqual([100, 200, 400, 800]);
    await clock.advance(800);
    await succeed(breaker, 1);
    expect(breaker.state).toBe('closed');
    await fail(breaker, 1);
    expect(openings().at(-1)).toBe(100);
    expect(breaker.metrics().openings).toBe(1);
  });

  it('survives a custom backoff that throws or returns NaN (falls back to its maxMs)', async () => {
    const throwing: Backoff = { maxMs: 300, delay: () => { throw new Error('bad backoff'); } };
    const { breaker } = opened({ openMs: throwing });
    await fail(breaker, 1);
    expect(breaker.metrics().retryAfterMs).toBe(300);
    const nan: Backoff = { maxMs: NaN, delay: () => NaN };
    const other = opened({ openMs: nan });
    await fail(other.breaker, 1);
    expect(other.breaker.state).toBe('half-open'); // 0 ms
  });
});

describe('half-open', () => {
  it('admits maxProbes probes and rejects everyone else at once with retryAfterMs', async () => {
    const { clock, breaker } = opened({ halfOpen: { maxProbes: 2, probeTimeoutMs: 500 } });
    await fail(breaker, 1);
    await clock.advance(1_000);
    const gates = [deferred<string>(), deferred<string>()];
    let started = 0;
    const probes = gates.map((g) => breaker.execute(() => (started++, g.promise)));
    const error = await rejection(breaker.execute(ok));
    expect(started).toBe(2);
    expect(isCircuitOpenError(error) && error.retryAfterMs).toBe(500);
    expect(breaker.isCallPermitted()).toBe(false);
    expect(breaker.metrics().probesInFlight).toBe(2);
    gates.forEach((g) => g.resolve('fine'));
    await Promise.all(probes);
    expect(breaker.state).toBe('closed');
  });

  it('closes only after successesToClose successful probes', async () => {
    const { clock, breaker } = opened({ halfOpen: { maxProbes: 1, successesToClose: 3 } });
    await fail(breaker, 1);
    await clock.advance(1_000);
    await succeed(breaker, 2);
    expect(breaker.state).toBe('half-open');
    await succeed(breaker, 1);
    expect(breaker.state).toBe('closed');
  });

  it('a failed probe re-opens with a fresh openMs', async () => {
    const { clock, breaker, rec } = opened();
    await fail(breaker, 1);
    await clock.advance(1_500);
    await fail(breaker, 1);
    expect(breaker.state).toBe('open');
    expect(breaker.metrics().retryAfterMs).toBe(1_000);
    expect(rec.states().at(-1)).toBe('half-open->open:probe-failed');
  });

  it('a slow probe counts as failed', async () => {
    const { clock, breaker } = opened({ window: { kind: 'consecutive', failures: 1, slowCallMs: 10 } });
    await fail(breaker, 1);
    await clock.advance(1_000);
    await breaker.execute(() => clock.advance(11).then(() => 'slow'));
    expect(breaker.state).toBe('open');
  });

  it('a probe that hangs is given up at probeTimeoutMs: it rejects with a TimeoutError, its signal aborts, and the circuit re-opens', async () => {
    const { clock, breaker, rec } = opened({ halfOpen: { probeTimeoutMs: 200 } });
    await fail(breaker, 1);
    await clock.advance(1_000);
    let signal: AbortSignal | undefined;
    const probe = breaker.execute((ctx) => {
      signal = ctx.signal;
      return new Promise(() => undefined);
    });
    const settled = rejection(probe);
    await clock.advance(200);
    const error = await settled;
    expect(isTimeoutError(error)).toBe(true);
    expect(signal?.aborted && signal.reason).toBe(error);
    expect(breaker.state).toBe('open');
    expect(rec.states().at(-1)).toBe('half-open->open:probe-timeout');
    expect(clock.pendingTimers).toBe(0);
  });

  it('a probe aborted by its caller frees its slot, counts as nothing, and rejects with the reason', async () => {
    const { clock, breaker, rec } = opened();
    await fail(breaker, 1);
    await clock.advance(1_000);
    const controller = new AbortController();
    const probe = rejection(breaker.execute(() => new Promise(() => undefined), { signal: controller.signal }));
    expect(breaker.isCallPermitted()).toBe(false);
    const reason = new Error('user left');
    controller.abort(reason);
    expect(await probe).toBe(reason);
    expect(breaker.state).toBe('half-open');
    expect(breaker.isCallPermitted()).toBe(true);
    expect(clock.pendingTimers).toBe(0);
    expect(rec.log.some((e) => e.type === 'circuit.ignored' && e.reason === 'aborted' && e.probe)).toBe(true);
    expect(await breaker.execute(ok)).toBe('ok');
    expect(breaker.state).toBe('closed');
  });

  it('a probe failing with a rejection or a declined error frees its slot and counts as nothing', async () => {
    const { clock, breaker } = opened({ isFailure: (o) => !(!o.ok && o.error instanceof RangeError) });
    await fail(breaker, 1);
    await clock.advance(1_000);
    const nested = circuitBreaker({ clock });
    nested.isolate();
    await rejection(breaker.execute(() => nested.execute(ok)));
    expect(breaker.state).toBe('half-open');
    await rejection(breaker.execute(() => Promise.reject(new RangeError('not found'))));
    expect(breaker.state).toBe('half-open');
    expect(breaker.isCallPermitted()).toBe(true);
  });

  it('a probe whose function throws synchronously or returns a plain value is handled', async () => {
    const { clock, breaker } = opened();
    await fail(breaker, 1);
    await clock.advance(1_000);
    await rejection(breaker.execute(() => { throw new Error('sync'); }));
    expect(breaker.state).toBe('open');
    await clock.advance(1_000);
    expect(await breaker.execute(() => 7)).toBe(7);
    expect(breaker.state).toBe('closed');
  });
});

describe('what counts', () => {
  it('isFailure can make a result a failure and an error not one', async () => {
    const breaker = circuitBreaker({
      clock: new ManualClock(),
      window: { kind: 'consecutive', failures: 2 },
      isFailure: (o) => (o.ok ? o.value === 503 : !(o.error instanceof TypeError)),
    });
    await breaker.execute(() => 503);
    await rejection(breaker.execute(() => Promise.reject(new TypeError('ignored'))));
    expect(breaker.state).toBe('closed');
    expect(breaker.metrics().failures).toBe(1);
    await breaker.execute(() => 503);
    expect(breaker.state).toBe('open');
  });

  it('an isFailure that throws declares a failure and never breaks the call', async () => {
    const breaker = circuitBreaker({ window: { kind: 'consecutive', failures: 1 }, isFailure: () => { throw new Error('bad hook'); } });
    expect(await breaker.execute(ok)).toBe('ok');
    expect(breaker.state).toBe('open');
  });

  it('a synchronous throw and a thenable are recorded like promises', async () => {
    const breaker = circuitBreaker({ window: { kind: 'consecutive', failures: 2 } });
    await rejection(breaker.execute(() => { throw new Error('sync'); }));
    const thenable: PromiseLike<number> = { then: (resolve, reject) => Promise.reject(new Error('thenable')).then(resolve, reject) };
    await rejection(breaker.execute(() => thenable));
    expect(breaker.state).toBe('open');
  });

  it('a call started under an aborted signal never runs', async () => {
    const breaker = circuitBreaker();
    let calls = 0;
    const reason = new Error('already');
    expect(await rejection(breaker.execute(() => ++calls, { signal: AbortSignal.abort(reason) }))).toBe(reason);
    expect(calls).toBe(0);
  });
});

describe('isolate and reset', () => {
  it('isolate() rejects with IsolatedCircuitError until every handle is released', async () => {
    const { breaker, rec } = opened();
    const a = breaker.isolate();
    const b = breaker.isolate();
    expect(breaker.state).toBe('isolated');
    const error = await rejection(breaker.execute(ok));
    expect(isIsolatedCircuitError(error)).toBe(true);
    expect(breaker.isCallPermitted()).toBe(false);
    a.release();
    a.release(); // idempotent
    expect(breaker.state).toBe('isolated');
    b.release();
    expect(breaker.state).toBe('closed');
    expect(rec.states()).toEqual(['closed->isolated:isolated', 'isolated->closed:released']);
  });

  it('isolate() from open, and reset() from any state', async () => {
    const { breaker, rec } = opened();
    await fail(breaker, 1);
    const handle = breaker.isolate();
    breaker.reset();
    expect(breaker.state).toBe('closed');
    handle.release(); // voided by reset: nothing happens
    breaker.reset(); // closed already: no event
    expect(rec.states()).toEqual(['closed->open:failure-threshold', 'open->isolated:isolated', 'isolated->closed:reset']);
  });

  it('reset() empties the window and the backoff', async () => {
    const breaker = circuitBreaker({ window: { kind: 'consecutive', failures: 2 }, openMs: linearBackoff({ initialMs: 10 }) });
    await fail(breaker, 1);
    breaker.reset();
    await fail(breaker, 1);
    expect(breaker.state).toBe('closed');
    expect(breaker.metrics().calls).toBe(1);
  });
});

describe('retryAfterMs and isCallPermitted', () => {
  it('is a whole number of ms, rounded up', async () => {
    const { clock, breaker } = opened({ openMs: constantBackoff(1_000.4) });
    await fail(breaker, 1);
    await clock.advance(0.2);
    const error = await rejection(breaker.execute(ok));
    expect((error as CircuitOpenError).retryAfterMs).toBe(1_001);
  });

  it('isCallPermitted() is true when closed, false when open, and moves open to half-open after openMs', async () => {
    const { clock, breaker } = opened();
    expect(breaker.isCallPermitted()).toBe(true);
    await fail(breaker, 1);
    expect(breaker.isCallPermitted()).toBe(false);
    await clock.advance(1_000);
    expect(breaker.isCallPermitted()).toBe(true);
    expect(breaker.state).toBe('half-open');
  });
});

describe('timers', () => {
  it('leaves no timer after probes settle in every way', async () => {
    const { clock, breaker } = opened({ halfOpen: { probeTimeoutMs: 50 } });
    await fail(breaker, 1);
    for (const fate of ['ok', 'fail', 'hang'] as const) {
      await clock.advance(1_000);
      const call = breaker.execute(() => (fate === 'ok' ? ok() : fate === 'fail' ? boom() : new Promise<string>(() => undefined)));
      call.catch(() => undefined);
      await clock.advance(50);
      await flush();
      expect(clock.pendingTimers).toBe(0);
      if (fate === 'ok') await fail(breaker, 1);
    }
  });
});
