// Model-based test: random histories of calls (success, failure, slow, hang, sync throw, held and
// settled later in whatever state), caller aborts, time
// advances, isolate/release, reset and snapshot/restore, run against the breaker and against a
// small reference model that keeps its window as a naive list. Failure modes 18 and 20.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  circuitBreaker,
  isCircuitOpenError,
  isIsolatedCircuitError,
  type CircuitBreakerPolicy,
  type CircuitIsolation,
  type CircuitSnapshot,
  type CircuitState,
} from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { flush, recorder } from './helpers.js';
import { configArb, Model, options, type Config } from './model.js';

interface Hung {
  readonly controller: AbortController;
  readonly probeId: number;
}

/** A call held open by the test, settled later by a SettleCommand (maybe in another state). */
interface Held {
  readonly resolve: (value: string) => void;
  readonly reject: (error: Error) => void;
  /** The model's probe id (0 when a closed call, or a call of a replaced instance). */
  readonly probeId: number;
  /** The model generation that admitted it (-1 once its instance was replaced). */
  readonly generation: number;
  readonly startedAt: number;
  readonly outcome: Promise<unknown>;
  /** Its caller's controller (held-signal calls not yet aborted). */
  readonly controller: AbortController | undefined;
}

class Real {
  breaker: CircuitBreakerPolicy;
  rec: ReturnType<typeof recorder>;
  initial: CircuitState = 'closed';
  handles: CircuitIsolation[] = [];
  hung: Hung[] = [];
  held: Held[] = [];
  nextId = 1;
  readonly clock = new ManualClock();
  readonly c: Config;

  constructor(c: Config) {
    this.c = c;
    this.rec = recorder(c.listenToCalls ? undefined : 'state');
    this.breaker = circuitBreaker({ ...options(c), clock: this.clock, events: this.rec.events });
  }
}

type Cmd = fc.AsyncCommand<Model, Real>;

/** Every invariant, checked after each command. */
function invariants(m: Model, r: Real): void {
  m.refresh();
  expect(r.breaker.state).toBe(m.state);
  const metrics = r.breaker.metrics();
  // Probes in flight (of any generation) never exceed maxProbes, and are exactly the model's.
  expect(metrics.probesInFlight).toBe(m.probes.length);
  expect(metrics.probesInFlight).toBeLessThanOrEqual(m.c.maxProbes);
  // The window holds exactly what the naive list says.
  if (m.state === 'closed') {
    const w = m.window();
    const failures = m.c.kind === 'consecutive' ? w.length : w.filter((e) => e.failure).length;
    const slowCalls = m.c.kind === 'consecutive' ? 0 : w.filter((e) => e.slow).length;
    expect([metrics.calls, metrics.failures, metrics.slowCalls]).toEqual([w.length, failures, slowCalls]);
    expect(metrics.failureRate).toBe(w.length === 0 ? 0 : failures / w.length);
    expect(metrics.slowCallRate).toBe(w.length === 0 ? 0 : slowCalls / w.length);
  }
  // Open and half-open never outlast their bounds.
  if (m.state === 'open') {
    expect(metrics.retryAfterMs).toBeGreaterThan(0);
    expect(metrics.retryAfterMs).toBeLessThanOrEqual(Math.ceil(m.lastOpenMs));
  }
  for (const p of m.probes) expect(p.deadline).toBeGreaterThan(m.now);
  // Transitions form a valid path from the instance's initial state, never from === to.
  const allowed = new Set(['closed>open', 'closed>isolated', 'open>half-open', 'open>isolated', 'open>closed', 'half-open>open', 'half-open>closed', 'half-open>isolated', 'isolated>closed']);
  let state: string = r.initial;
  for (const e of r.rec.log) {
    if (e.type !== 'circuit.state') continue;
    expect(e.from).toBe(state);
    expect(allowed.has(`${e.from}>${e.to}`), `${e.from}>${e.to}`).toBe(true);
    state = e.to;
  }
  expect(state).toBe(m.state);
}

type CallKind = 'success' | 'failure' | 'slow' | 'hang' | 'throw' | 'held' | 'held-signal';

class CallCommand implements Cmd {
  readonly kind: CallKind;
  constructor(kind: CallKind) {
    this.kind = kind;
  }
  check(): boolean {
    return true;
  }
  async run(m: Model, r: Real): Promise<void> {
    m.refresh();
    const probe = m.state === 'half-open' && m.probes.length < m.c.maxProbes;
    const admitted = m.state === 'closed' || probe;
    const id = r.nextId++;
    const controller = new AbortController();
    let invoked = false;
    let settle: Pick<Held, 'resolve' | 'reject'> | undefined;
    const fn = ({ signal }: { signal: AbortSignal }): Promise<string> => {
      invoked = true;
      switch (this.kind) {
        case 'throw':
          throw new Error('sync');
        case 'held':
        case 'held-signal':
          if (this.kind === 'held-signal') void signal;
          return new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
        case 'success':
          return Promise.resolve('ok');
        case 'failure':
          return Promise.reject(new Error('down'));
        case 'slow':
          return r.clock.advance(m.c.slowFor).then(() => 'slow');
        default:
          void signal; // read: the attempt signal exists, so a give-up aborts it
          return new Promise(() => undefined);
      }
    };
    // Only a hung call gets a signal (to abort it): the others take the path without a parent.
    const withSignal = this.kind === 'hang' || this.kind === 'held-signal';
    const call = r.breaker.execute(fn, withSignal ? { signal: controller.signal } : undefined);
    const outcome = call.then(
      () => 'ok',
      (e: unknown) => (isCircuitOpenError(e) ? 'open' : isIsolatedCircuitError(e) ? 'isolated' : 'error'),
    );
    expect(invoked).toBe(admitted);
    if (!admitted) {
      expect(await outcome).toBe(m.state === 'isolated' ? 'isolated' : 'open');
      return invariants(m, r);
    }
    if (probe) m.admit(id);
    const generation = m.generation;
    if (settle !== undefined) {
      r.held.push({ ...settle, probeId: probe ? id : 0, generation, startedAt: m.now, outcome, controller: withSignal ? controller : undefined });
      await flush();
      return invariants(m, r);
    }
    if (this.kind === 'hang') {
      r.hung.push({ controller, probeId: probe ? id : 0 });
      await flush();
      return invariants(m, r);
    }
    if (this.kind === 'slow') m.advanceTo(m.now + m.c.slowFor);
    await outcome;
    const slow = this.kind === 'slow' && m.c.slowCallMs !== undefined;
    if (probe) m.probeDone(id, this.kind === 'success' || (this.kind === 'slow' && !slow));
    else if (generation === m.generation) m.record(this.kind === 'failure' || this.kind === 'throw', slow);
    invariants(m, r);
  }
  toString(): string {
    return `call(${this.kind})`;
  }
}

class AbortCommand implements Cmd {
  check(): boolean {
    return true;
  }
  async run(m: Model, r: Real): Promise<void> {
    // A hung call first; else the newest held call with a signal (a later settle then counts nothing).
    let i = r.held.length - 1;
    while (i >= 0 && r.held[i]?.controller === undefined) i--;
    const held = r.hung.length === 0 && i !== -1 ? r.held[i] : undefined;
    const hung = held === undefined ? r.hung.shift() : { controller: held.controller as AbortController, probeId: held.probeId };
    if (held !== undefined) r.held[i] = { ...held, probeId: 0, generation: -1, controller: undefined };
    if (hung !== undefined) {
      hung.controller.abort(new Error('caller left'));
      const i = m.probes.findIndex((p) => p.id === hung.probeId);
      if (i !== -1) m.probes.splice(i, 1);
      await flush();
    }
    invariants(m, r);
  }
  toString(): string {
    return 'abort';
  }
}

/** Settles the oldest held call, whatever happened to the circuit since it was admitted. */
class SettleCommand implements Cmd {
  readonly ok: boolean;
  constructor(ok: boolean) {
    this.ok = ok;
  }
  check(): boolean {
    return true;
  }
  async run(m: Model, r: Real): Promise<void> {
    const held = r.held.shift();
    if (held !== undefined) {
      if (this.ok) held.resolve('late');
      else held.reject(new Error('late'));
      await held.outcome;
      await flush();
      const slow = m.c.slowCallMs !== undefined && m.now - held.startedAt > m.c.slowCallMs;
      if (held.probeId !== 0) m.probeDone(held.probeId, this.ok && !slow);
      else if (held.generation === m.generation) m.record(!this.ok, slow);
    }
    invariants(m, r);
  }
  toString(): string {
    return `settle(${this.ok ? 'ok' : 'fail'})`;
  }
}

class AdvanceCommand implements Cmd {
  readonly ms: number;
  constructor(ms: number) {
    this.ms = ms;
  }
  check(): boolean {
    return true;
  }
  async run(m: Model, r: Real): Promise<void> {
    m.advanceTo(m.now + this.ms);
    await r.clock.advance(this.ms);
    invariants(m, r);
  }
  toString(): string {
    return `advance(${this.ms})`;
  }
}

class IsolateCommand implements Cmd {
  check(): boolean {
    return true;
  }
  async run(m: Model, r: Real): Promise<void> {
    r.handles.push(r.breaker.isolate());
    m.handles++;
    if (m.state !== 'isolated') m.transition('isolated');
    await flush();
    invariants(m, r);
  }
  toString(): string {
    return 'isolate';
  }
}

class ReleaseCommand implements Cmd {
  check(): boolean {
    return true;
  }
  async run(m: Model, r: Real): Promise<void> {
    const handle = r.handles.pop();
    if (handle !== undefined) {
      handle.release();
      if (--m.handles === 0 && m.state === 'isolated') m.transition('closed');
    }
    invariants(m, r);
  }
  toString(): string {
    return 'release';
  }
}

class ResetCommand implements Cmd {
  check(): boolean {
    return true;
  }
  async run(m: Model, r: Real): Promise<void> {
    r.breaker.reset();
    r.handles = []; // reset voids them
    m.handles = 0;
    m.refresh();
    if (m.state !== 'closed') m.transition('closed');
    else {
      m.generation++;
      m.list = [];
      m.openings = m.lastOpenMs = 0;
    }
    invariants(m, r);
  }
  toString(): string {
    return 'reset';
  }
}

class RestoreCommand implements Cmd {
  check(): boolean {
    return true;
  }
  async run(m: Model, r: Real): Promise<void> {
    m.refresh();
    const snapshot = JSON.parse(JSON.stringify(r.breaker.snapshot())) as CircuitSnapshot;
    const before = r.breaker.metrics();
    r.rec = recorder(r.c.listenToCalls ? undefined : 'state');
    r.breaker = circuitBreaker({ ...options(r.c), clock: r.clock, events: r.rec.events, initialState: snapshot });
    r.initial = snapshot.state;
    r.handles = [];
    r.hung = r.hung.map((h) => ({ ...h, probeId: 0 })); // they belong to the old instance now
    r.held = r.held.map((h) => ({ ...h, probeId: 0, generation: -1 }));
    // The round trip is exact: the restored instance saves the same JSON and shows the same window.
    expect(r.breaker.snapshot()).toEqual(snapshot);
    const after = r.breaker.metrics();
    expect({ ...after, probesInFlight: 0, retryAfterMs: 0 }).toEqual({ ...before, probesInFlight: 0, retryAfterMs: 0 });
    if (before.state !== 'half-open') expect(after.retryAfterMs).toBe(before.retryAfterMs);
    m.handles = snapshot.state === 'isolated' ? 1 : 0; // the lost hold: only reset() ends a restored isolation
    m.generation++;
    m.probes = [];
    m.successes = 0;
    invariants(m, r);
  }
  toString(): string {
    return 'snapshot+restore';
  }
}

const call = fc.constantFrom<CallKind>('success', 'failure', 'slow', 'hang', 'throw', 'held', 'held-signal').map((k): Cmd => new CallCommand(k));
// Calls and time are weighted up: the interesting states need several of them in a row.
const commands = [
  fc.oneof(
    { arbitrary: call, weight: 10 },
    { arbitrary: fc.integer({ min: 0, max: 500 }).map((ms): Cmd => new AdvanceCommand(ms)), weight: 5 },
    { arbitrary: fc.boolean().map((ok): Cmd => new SettleCommand(ok)), weight: 3 },
    { arbitrary: fc.constant<Cmd>(new AbortCommand()), weight: 2 },
    { arbitrary: fc.constant<Cmd>(new IsolateCommand()), weight: 1 },
    { arbitrary: fc.constant<Cmd>(new ReleaseCommand()), weight: 2 },
    { arbitrary: fc.constant<Cmd>(new ResetCommand()), weight: 1 },
    { arbitrary: fc.constant<Cmd>(new RestoreCommand()), weight: 1 },
  ),
];

describe('circuit breaker model', () => {
  it('failure modes 18 and 20: random histories follow the reference model (valid transitions, probe bound, bounded open and half-open, naive window)', async () => {
    await fc.assert(
      fc.asyncProperty(configArb, fc.commands(commands, { maxCommands: 60, size: 'max' }), async (config, cmds) => {
        await fc.asyncModelRun(() => ({ model: new Model(config), real: new Real(config) }), cmds);
      }),
      { numRuns: 300 },
    );
  });

  it('failure mode 20: random (time, outcome) streams open exactly when the naive list crosses the threshold', async () => {
    const step = fc.record({ gap: fc.integer({ min: 0, max: 120 }), failure: fc.boolean(), slow: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(configArb, fc.array(step, { maxLength: 60 }), async (config, steps) => {
        const m = new Model(config);
        const r = new Real(config);
        for (const s of steps) {
          m.advanceTo(m.now + s.gap);
          await r.clock.advance(s.gap);
          m.refresh();
          if (m.state !== 'closed') break; // the stream is about the closed window
          const slowFor = s.slow ? config.slowFor : 0;
          const fn = () => (slowFor > 0 ? r.clock.advance(slowFor) : Promise.resolve()).then(() => (s.failure ? Promise.reject(new Error('x')) : 'ok'));
          await r.breaker.execute(fn).catch(() => undefined);
          m.advanceTo(m.now + slowFor);
          m.record(s.failure, s.slow && config.slowCallMs !== undefined);
          m.refresh();
          expect(r.breaker.state).toBe(m.state);
          if (m.state === 'closed') expect(r.breaker.metrics().calls).toBe(m.window().length);
        }
      }),
      { numRuns: 300 },
    );
  });
});
