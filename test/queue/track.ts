/** Test helpers shared by the queue and bulkhead tests. */
import { getEventListeners } from 'node:events';
import { expect } from 'vitest';
import type { BoundedQueue, Clock, TimerHandle } from '../../src/index.js';

/** The observed state of a promise, updated as it settles (observing it also handles it). */
export interface Tracked<T> {
  state: 'pending' | 'fulfilled' | 'rejected';
  value: T | undefined;
  error: unknown;
  readonly promise: Promise<T>;
}

export function track<T>(promise: Promise<T>): Tracked<T> {
  const tracked: Tracked<T> = { state: 'pending', value: undefined, error: undefined, promise };
  promise.then(
    (value) => {
      tracked.state = 'fulfilled';
      tracked.value = value;
    },
    (error: unknown) => {
      tracked.state = 'rejected';
      tracked.error = error;
    },
  );
  return tracked;
}

/** Lets every pending promise continuation run (one macrotask turn; no time passes). */
export function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** How many 'abort' listeners `signal` has. */
export function abortListeners(signal: AbortSignal): number {
  return getEventListeners(signal, 'abort').length;
}

/** A promise with its settle functions, for tasks a test finishes by hand. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** The ledger every queue keeps at every step, and its bound. */
export function expectLedger<T>(queue: BoundedQueue<T>): void {
  expect(queue.pushed).toBe(queue.taken + queue.dropped + queue.refused + queue.size);
  expect(queue.size).toBeLessThanOrEqual(queue.capacity);
}

/** A clock whose timers fire only when told to, synchronously (so fc.scheduler can order them). */
export class StepClock implements Clock {
  #now = 0;
  #next = 1;
  readonly timers = new Map<number, { due: number; callback: () => void }>();
  now(): number {
    return this.#now;
  }
  /** Moves time on without firing anything (a timer due meanwhile fires at the next fireNext()). */
  step(ms: number): void {
    this.#now += ms;
  }
  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.#next++;
    this.timers.set(id, { due: this.#now + Math.max(0, ms), callback });
    return id;
  }
  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }
  /** Fires the earliest timer (ties in creation order); false when none is pending. */
  fireNext(): boolean {
    let first: [number, { due: number; callback: () => void }] | undefined;
    for (const entry of this.timers) if (first === undefined || entry[1].due < first[1].due) first = entry;
    if (first === undefined) return false;
    this.timers.delete(first[0]);
    this.#now = Math.max(this.#now, first[1].due);
    first[1].callback();
    return true;
  }
}
