/**
 * Model-based tests: random sequences of calls (with or without a caller's signal), completions,
 * failures, aborts, drain and time (queue `maxWaitMs`, or an outer timeout) run against a bulkhead and
 * a naive reference model. After every step they agree on who runs, who waits, who was admitted
 * in which order and how every caller's call ended, and `active <= limit` with real concurrency
 * equal to `active`. After each run everything settles: active = queued = 0, no timer and no
 * listener left.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bulkhead,
  createEventHub,
  isBulkheadRejectedError,
  isTimeoutError,
  pipeline,
  timeout,
  type BulkheadOverflow,
  type BulkheadPolicy,
  type Policy,
} from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { abortListeners, deferred, tick, track, type Deferred, type Tracked } from '../queue/track.js';

type Outcome = 'pending' | 'value' | 'error' | 'full' | 'evicted' | 'max-wait' | 'draining' | 'abort' | 'timeout';

interface Waiting {
  readonly id: number;
  readonly deadline: number;
}

class Model {
  now = 0;
  running: number[] = [];
  waiting: Waiting[] = [];
  readonly started: number[] = [];
  readonly outcome = new Map<number, Outcome>();
  readonly timeoutAt = new Map<number, number>();
  readonly signalled = new Set<number>();
  readonly refusals = { full: 0, evicted: 0, 'max-wait': 0, draining: 0 };
  nextId = 1;
  readonly limit: number;
  readonly capacity: number;
  readonly overflow: BulkheadOverflow;
  readonly maxWaitMs: number;
  readonly timeoutMs: number;

  constructor(limit: number, capacity: number, overflow: BulkheadOverflow, maxWaitMs: number, timeoutMs: number) {
    this.limit = limit;
    this.capacity = capacity;
    this.overflow = overflow;
    this.maxWaitMs = maxWaitMs;
    this.timeoutMs = timeoutMs;
  }

  draining = false;

  refuse(id: number, reason: 'full' | 'evicted' | 'max-wait' | 'draining'): void {
    this.refusals[reason]++;
    this.outcome.set(id, reason);
    this.timeoutAt.delete(id);
  }

  start(id: number): void {
    this.running.push(id);
    this.started.push(id);
  }

  call(id: number): void {
    this.outcome.set(id, 'pending');
    if (this.draining) return this.refuse(id, 'draining');
    if (this.timeoutMs !== Infinity) this.timeoutAt.set(id, this.now + this.timeoutMs);
    if (this.running.length < this.limit && this.waiting.length === 0) return this.start(id);
    if (this.waiting.length >= this.capacity) {
      if (this.overflow === 'reject-new' || this.waiting.length === 0) return this.refuse(id, 'full');
      this.refuse((this.waiting.shift() as Waiting).id, 'evicted');
    }
    this.waiting.push({ id, deadline: this.now + this.maxWaitMs });
  }

  /** A running function settled; its caller gets the outcome unless it already left. */
  finish(id: number, ok: boolean): void {
    this.running.splice(this.running.indexOf(id), 1);
    if (this.outcome.get(id) === 'pending') {
      this.outcome.set(id, ok ? 'value' : 'error');
      this.timeoutAt.delete(id);
    }
    while (this.running.length < this.limit && this.waiting.length > 0) this.start((this.waiting.shift() as Waiting).id);
  }

  /** The caller gives up (abort or timeout): a waiter leaves the queue, a running call keeps its permit. */
  leave(id: number, outcome: 'abort' | 'timeout'): void {
    if (this.outcome.get(id) !== 'pending') return;
    this.outcome.set(id, outcome);
    this.timeoutAt.delete(id);
    const w = this.waiting.findIndex((x) => x.id === id);
    if (w !== -1) this.waiting.splice(w, 1);
  }

  advance(ms: number): void {
    this.now += ms;
    while (this.waiting.length > 0 && (this.waiting[0] as Waiting).deadline <= this.now) this.refuse((this.waiting.shift() as Waiting).id, 'max-wait');
    const due = [...this.timeoutAt].filter(([, at]) => at <= this.now).sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    for (const [id] of due) this.leave(id, 'timeout');
  }

  abortable(): number[] {
    return [...this.outcome].filter(([id, o]) => o === 'pending' && this.signalled.has(id)).map(([id]) => id);
  }
}

interface Real {
  readonly bulkhead: BulkheadPolicy;
  readonly policy: Policy;
  readonly clock: ManualClock;
  readonly callers: Map<number, { readonly tracked: Tracked<number>; readonly controller: AbortController }>;
  readonly tasks: Map<number, Deferred<number>>;
  readonly started: number[];
  readonly refusals: { full: number; evicted: number; 'max-wait': number; draining: number };
  readonly concurrency: { running: number };
}

const failure = new Error('task failed');

function matches(outcome: Outcome, t: Tracked<number>, id: number): boolean {
  switch (outcome) {
    case 'pending':
      return t.state === 'pending';
    case 'value':
      return t.state === 'fulfilled' && t.value === id;
    case 'error':
      return t.state === 'rejected' && t.error === failure;
    case 'abort':
      return t.state === 'rejected' && t.error === `abort ${id}`;
    case 'timeout':
      return t.state === 'rejected' && isTimeoutError(t.error);
    default:
      return t.state === 'rejected' && isBulkheadRejectedError(t.error) && t.error.reason === outcome;
  }
}

async function agree(m: Model, r: Real): Promise<void> {
  await tick();
  expect(r.bulkhead.active).toBe(m.running.length);
  expect(r.bulkhead.active).toBeLessThanOrEqual(m.limit);
  expect(r.concurrency.running).toBe(m.running.length);
  expect(r.bulkhead.queued).toBe(m.waiting.length);
  expect(r.bulkhead.queued).toBeLessThanOrEqual(m.capacity);
  expect(r.started).toEqual(m.started);
  expect(r.refusals).toEqual(m.refusals);
  for (const [id, outcome] of m.outcome) {
    const caller = r.callers.get(id);
    if (caller !== undefined && !matches(outcome, caller.tracked, id)) {
      expect.fail(`caller ${id}: expected ${outcome}, got ${caller.tracked.state} ${String(caller.tracked.error ?? caller.tracked.value)}`);
    }
  }
}

type Cmd = fc.AsyncCommand<Model, Real>;

class Call implements Cmd {
  readonly withSignal: boolean;
  constructor(withSignal: boolean) {
    this.withSignal = withSignal;
  }
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    const id = m.nextId++;
    const controller = new AbortController();
    const fn = (): Promise<number> => {
      r.started.push(id);
      r.concurrency.running++;
      const d = deferred<number>();
      r.tasks.set(id, d);
      const done = (): void => void r.concurrency.running--;
      d.promise.then(done, done);
      return d.promise;
    };
    if (this.withSignal) m.signalled.add(id);
    r.callers.set(id, { tracked: track(r.policy.execute(fn, this.withSignal ? { signal: controller.signal } : undefined)), controller });
    m.call(id);
    await agree(m, r);
  }
  toString = (): string => `call(${this.withSignal ? 'signal' : ''})`;
}

class Finish implements Cmd {
  readonly pick: number;
  readonly ok: boolean;
  constructor(pick: number, ok: boolean) {
    this.pick = pick;
    this.ok = ok;
  }
  check = (m: Model): boolean => m.running.length > 0;
  async run(m: Model, r: Real): Promise<void> {
    const id = m.running[this.pick % m.running.length] as number;
    const task = r.tasks.get(id) as Deferred<number>;
    if (this.ok) task.resolve(id);
    else task.reject(failure);
    m.finish(id, this.ok);
    await agree(m, r);
  }
  toString = (): string => `${this.ok ? 'complete' : 'throw'}(#${this.pick})`;
}

class Abort implements Cmd {
  readonly pick: number;
  constructor(pick: number) {
    this.pick = pick;
  }
  check = (m: Model): boolean => m.abortable().length > 0;
  async run(m: Model, r: Real): Promise<void> {
    const candidates = m.abortable();
    const id = candidates[this.pick % candidates.length] as number;
    r.callers.get(id)?.controller.abort(`abort ${id}`);
    m.leave(id, 'abort');
    await agree(m, r);
  }
  toString = (): string => `abort(#${this.pick})`;
}

class Advance implements Cmd {
  readonly ms: number;
  constructor(ms: number) {
    this.ms = ms;
  }
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    await r.clock.advance(this.ms);
    m.advance(this.ms);
    await agree(m, r);
  }
  toString = (): string => `advance(${this.ms})`;
}

class Drain implements Cmd {
  // Late in a run only, so that most runs exercise the bulkhead before it refuses everything.
  check = (m: Model): boolean => !m.draining && m.nextId > 8;
  async run(m: Model, r: Real): Promise<void> {
    r.bulkhead.drain();
    m.draining = true;
    await agree(m, r);
  }
  toString = (): string => 'drain';
}

const commands = [
  fc.boolean().map((s) => new Call(s)),
  fc.tuple(fc.nat(10), fc.boolean()).map(([pick, ok]) => new Finish(pick, ok)),
  fc.nat(10).map((n) => new Abort(n)),
  fc.constantFrom(1, 4, 15).map((ms) => new Advance(ms)),
  fc.constant(new Drain()),
];

describe('bulkhead › model-based', () => {
  it('agrees with a naive reference model over random calls, completions, failures, aborts, waits and timeouts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom<BulkheadOverflow>('reject-new', 'drop-oldest'),
        fc.constantFrom('none', 'max-wait', 'timeout'),
        fc.commands(commands, { size: '+1' }),
        async (limit, capacity, overflow, timing, cmds) => {
          const clock = new ManualClock();
          const events = createEventHub();
          const refusals = { full: 0, evicted: 0, 'max-wait': 0, draining: 0 };
          events.on('bulkhead.rejected', (e) => void refusals[e.reason]++);
          const maxWaitMs = timing === 'max-wait' && capacity > 0 ? 10 : Infinity;
          const timeoutMs = timing === 'timeout' ? 10 : Infinity;
          const queue = capacity === 0 ? {} : { capacity, overflow, maxWaitMs };
          const b = bulkhead({ limit, queue, clock, events });
          const policy = timeoutMs === Infinity ? b : pipeline(timeout({ ms: timeoutMs, clock }), b);
          const real: Real = { bulkhead: b, policy, clock, callers: new Map(), tasks: new Map(), started: [], refusals, concurrency: { running: 0 } };
          const model = new Model(limit, capacity, capacity === 0 ? 'reject-new' : overflow, maxWaitMs, timeoutMs);
          await fc.asyncModelRun(() => ({ model, real }), cmds);
          // Let every running function finish (admitting the waiters, which then finish too).
          while (model.running.length > 0) {
            const id = model.running[0] as number;
            real.tasks.get(id)?.resolve(id);
            model.finish(id, true);
            await agree(model, real);
          }
          await clock.runAll();
          model.advance(Number.MAX_SAFE_INTEGER);
          await agree(model, real);
          expect([b.active, b.queued, clock.pendingTimers]).toEqual([0, 0, 0]);
          for (const { tracked, controller } of real.callers.values()) {
            expect(tracked.state).not.toBe('pending');
            expect(abortListeners(controller.signal)).toBe(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
