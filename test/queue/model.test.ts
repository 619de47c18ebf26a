/**
 * Model-based tests: random sequences of push, tryPush, take, tryTake, abort, time (maxWaitMs
 * expiry) and close run against the queue and against a naive reference model built on plain
 * arrays; after every step their counters, sizes, waiters, drops and every operation's outcome
 * must agree, and the invariants hold (ledger, size <= capacity). After each run everything
 * settles with no timer and no listener left.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundedQueue, isQueueClosedError, isQueueFullError, type BoundedQueue, type QueueOverflow } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { abortListeners, tick, track, type Tracked } from './track.js';

type Expected = { readonly state: 'pending' } | { readonly state: 'fulfilled'; readonly value: unknown } | { readonly state: 'rejected'; readonly kind: 'full' | 'closed' | 'abort' };

interface ModelProducer {
  readonly id: number;
  readonly item: number;
  readonly deadline: number;
}

/** The reference: the documented behaviour on plain arrays, O(n) and obviously right. */
class Model {
  items: number[] = [];
  producers: ModelProducer[] = [];
  consumers: number[] = [];
  closed = false;
  now = 0;
  pushed = 0;
  taken = 0;
  dropped: Array<[number, string]> = [];
  refused = 0;
  nextItem = 1;
  nextId = 1;
  readonly expected = new Map<number, Expected>();
  readonly capacity: number;
  readonly overflow: QueueOverflow;
  readonly maxWaitMs: number;

  constructor(capacity: number, overflow: QueueOverflow, maxWaitMs: number) {
    this.capacity = capacity;
    this.overflow = overflow;
    this.maxWaitMs = maxWaitMs;
  }

  /** A push that does not wait: 'added', 'dropped' or 'refused'. */
  offer(item: number): 'added' | 'dropped' | 'refused' {
    const consumer = this.consumers.shift();
    if (consumer !== undefined) {
      this.pushed++;
      this.taken++;
      this.expected.set(consumer, { state: 'fulfilled', value: item });
      return 'added';
    }
    if (this.items.length < this.capacity) {
      this.items.push(item);
      this.pushed++;
      return 'added';
    }
    if (this.overflow === 'drop-newest') {
      this.pushed++;
      this.dropped.push([item, 'drop-newest']);
      return 'dropped';
    }
    if (this.overflow === 'drop-oldest') {
      this.dropped.push([this.items.shift() as number, 'drop-oldest']);
      this.items.push(item);
      this.pushed++;
      return 'added';
    }
    return 'refused';
  }

  refuse(id: number, kind: 'full' | 'closed' | 'abort'): void {
    this.pushed++;
    this.refused++;
    this.expected.set(id, { state: 'rejected', kind });
  }

  push(id: number, item: number): void {
    if (this.closed) return this.refuse(id, 'closed');
    if (this.offer(item) !== 'refused') return void this.expected.set(id, { state: 'fulfilled', value: undefined });
    if (this.overflow !== 'block' || this.maxWaitMs === 0) return this.refuse(id, 'full');
    this.producers.push({ id, item, deadline: this.now + this.maxWaitMs });
    this.expected.set(id, { state: 'pending' });
  }

  takeOne(): number {
    const item = this.items.shift() as number;
    this.taken++;
    const producer = this.producers.shift();
    if (producer !== undefined) {
      this.items.push(producer.item);
      this.pushed++;
      this.expected.set(producer.id, { state: 'fulfilled', value: undefined });
    }
    return item;
  }

  take(id: number): void {
    if (this.items.length > 0) return void this.expected.set(id, { state: 'fulfilled', value: this.takeOne() });
    if (this.closed) return void this.expected.set(id, { state: 'rejected', kind: 'closed' });
    this.consumers.push(id);
    this.expected.set(id, { state: 'pending' });
  }

  abort(id: number): void {
    const p = this.producers.findIndex((x) => x.id === id);
    if (p !== -1) {
      this.producers.splice(p, 1);
      return this.refuse(id, 'abort');
    }
    const c = this.consumers.indexOf(id);
    if (c !== -1) {
      this.consumers.splice(c, 1);
      this.expected.set(id, { state: 'rejected', kind: 'abort' });
    }
  }

  advance(ms: number): void {
    this.now += ms;
    while (this.producers.length > 0 && (this.producers[0] as ModelProducer).deadline <= this.now) {
      this.refuse((this.producers.shift() as ModelProducer).id, 'full');
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.producers.splice(0)) this.refuse(p.id, 'closed');
    for (const c of this.consumers.splice(0)) this.expected.set(c, { state: 'rejected', kind: 'closed' });
  }

  /** Operations made with a signal. */
  readonly signalled = new Set<number>();

  /** Pending operations made with a signal, oldest first. */
  abortable(): number[] {
    return [...this.producers.map((p) => p.id), ...this.consumers].filter((id) => this.signalled.has(id)).sort((a, b) => a - b);
  }
}

interface Real {
  readonly queue: BoundedQueue<number>;
  readonly clock: ManualClock;
  readonly ops: Map<number, { readonly tracked: Tracked<unknown>; readonly controller: AbortController }>;
  readonly dropped: Array<[number, string]>;
  readonly signals: AbortSignal[];
}

function expectOutcome(id: number, expected: Expected, tracked: Tracked<unknown>): void {
  const where = `operation ${id}`;
  expect(tracked.state, where).toBe(expected.state);
  if (expected.state === 'fulfilled') expect(tracked.value, where).toBe(expected.value);
  if (expected.state === 'rejected') {
    if (expected.kind === 'full') expect(isQueueFullError(tracked.error), where).toBe(true);
    if (expected.kind === 'closed') expect(isQueueClosedError(tracked.error), where).toBe(true);
    if (expected.kind === 'abort') expect(tracked.error, where).toBe(`abort ${id}`);
  }
}

/** Lets the real queue settle, then checks it against the model and the invariants. */
async function agree(m: Model, r: Real): Promise<void> {
  await tick();
  const q = r.queue;
  expect({ size: q.size, pushed: q.pushed, taken: q.taken, dropped: q.dropped, refused: q.refused }).toEqual({
    size: m.items.length,
    pushed: m.pushed,
    taken: m.taken,
    dropped: m.dropped.length,
    refused: m.refused,
  });
  expect(q.waitingProducers).toBe(m.producers.length);
  expect(q.waitingConsumers).toBe(m.consumers.length);
  expect(q.pushed).toBe(q.taken + q.dropped + q.refused + q.size);
  expect(q.size).toBeLessThanOrEqual(q.capacity);
  expect(r.dropped).toEqual(m.dropped);
  for (const [id, expected] of m.expected) {
    const op = r.ops.get(id);
    if (op !== undefined) expectOutcome(id, expected, op.tracked);
    if (expected.state !== 'pending') m.expected.delete(id);
  }
}

type Cmd = fc.AsyncCommand<Model, Real>;

class Push implements Cmd {
  readonly withSignal: boolean;
  constructor(withSignal: boolean) {
    this.withSignal = withSignal;
  }
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    const id = m.nextId++;
    const item = m.nextItem++;
    const controller = new AbortController();
    r.signals.push(controller.signal);
    const options = this.withSignal ? { signal: controller.signal } : undefined;
    if (this.withSignal) m.signalled.add(id);
    r.ops.set(id, { tracked: track(r.queue.push(item, options)), controller });
    m.push(id, item);
    await agree(m, r);
  }
  toString = (): string => `push(${this.withSignal ? 'signal' : ''})`;
}

class TryPush implements Cmd {
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    const item = m.nextItem++;
    if (m.closed) {
      expect(() => r.queue.tryPush(item)).toThrow();
      m.pushed++;
      m.refused++;
    } else {
      const outcome = m.offer(item);
      if (outcome === 'refused') {
        m.pushed++;
        m.refused++;
      }
      expect(r.queue.tryPush(item)).toBe(outcome === 'added');
    }
    await agree(m, r);
  }
  toString = (): string => 'tryPush';
}

class Take implements Cmd {
  readonly withSignal: boolean;
  constructor(withSignal: boolean) {
    this.withSignal = withSignal;
  }
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    const id = m.nextId++;
    const controller = new AbortController();
    r.signals.push(controller.signal);
    const options = this.withSignal ? { signal: controller.signal } : undefined;
    if (this.withSignal) m.signalled.add(id);
    r.ops.set(id, { tracked: track(r.queue.take(options)), controller });
    m.take(id);
    await agree(m, r);
  }
  toString = (): string => `take(${this.withSignal ? 'signal' : ''})`;
}

class TryTake implements Cmd {
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    const expected = m.items.length > 0 ? m.takeOne() : undefined;
    expect(r.queue.tryTake()).toBe(expected);
    await agree(m, r);
  }
  toString = (): string => 'tryTake';
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
    r.ops.get(id)?.controller.abort(`abort ${id}`);
    m.abort(id);
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

class Close implements Cmd {
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    r.queue.close();
    m.close();
    await agree(m, r);
  }
  toString = (): string => 'close';
}

const commands = [
  fc.boolean().map((s) => new Push(s)),
  fc.constant(new TryPush()),
  fc.boolean().map((s) => new Take(s)),
  fc.constant(new TryTake()),
  fc.nat(20).map((n) => new Abort(n)),
  fc.constantFrom(1, 5, 20).map((ms) => new Advance(ms)),
  fc.constant(new Close()),
];

describe('boundedQueue › model-based', () => {
  it('agrees with a naive reference model over random sequences of operations', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom<QueueOverflow>('reject', 'drop-newest', 'drop-oldest', 'block'),
        fc.constantFrom(0, 10, 30, Infinity),
        fc.commands(commands, { size: '+1' }),
        async (capacity, overflow, wait, cmds) => {
          const maxWaitMs = overflow === 'block' ? wait : Infinity;
          const clock = new ManualClock();
          const dropped: Array<[number, string]> = [];
          const queue = boundedQueue<number>({
            capacity,
            overflow,
            clock,
            ...(overflow === 'block' ? { maxWaitMs } : {}),
            onDrop: (item, reason) => dropped.push([item, reason]),
          });
          const real: Real = { queue, clock, ops: new Map(), dropped, signals: [] };
          const model = new Model(capacity, overflow, maxWaitMs);
          await fc.asyncModelRun(() => ({ model, real }), cmds);
          // Everything settles: close, take what is left; no timer, no listener, nothing pending.
          queue.close();
          model.close();
          const rest = queue.takeAll();
          expect(rest).toEqual(model.items.splice(0));
          model.taken += rest.length;
          await agree(model, real);
          expect(clock.pendingTimers).toBe(0);
          for (const { tracked } of real.ops.values()) expect(tracked.state).not.toBe('pending');
          for (const signal of real.signals) expect(abortListeners(signal)).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
