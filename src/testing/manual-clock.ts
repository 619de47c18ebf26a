/**
 * A clock moved by hand, for deterministic tests without real sleeps.
 *
 * @module
 */
import type { Clock, TimerHandle } from '../clock/clock.js';
import { checkNumber, checkOptions, optionalNumber } from '../core/validate.js';

interface Timer {
  readonly id: number;
  readonly due: number;
  readonly callback: () => void;
}

/** Orders timers by due time, then by creation: equal times fire in the order they were set. */
function before(a: Timer, b: Timer): boolean {
  return a.due < b.due || (a.due === b.due && a.id < b.id);
}

/**
 * Options of {@link ManualClock}.
 *
 * @example
 * ```ts
 * import { ManualClock, type ManualClockOptions } from 'crackstop/testing';
 *
 * const options: ManualClockOptions = { start: 1_000, maxTimersPerRun: 1_000 };
 * const clock = new ManualClock(options);
 * ```
 */
export interface ManualClockOptions {
  /** The initial `now()`, from 0 to 2^53-1 (beyond, 1 ms steps would be lost to rounding). @defaultValue 0 */
  readonly start?: number;
  /** One `advance()` or `runAll()` throws after firing this many timers (a timer that keeps re-arming itself, such as a 0 ms loop). @defaultValue 100000 */
  readonly maxTimersPerRun?: number;
}

/** Lets every pending promise continuation run (a macrotask drains the microtask queue). */
function settle(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  return new Promise((resolve) => {
    if (immediate !== undefined) immediate(resolve);
    else setTimeout(resolve, 0);
  });
}

/**
 * A {@link Clock} whose time moves only when a test says so. Timers fire in due-time order (equal
 * times in the order they were set), and between two timers every promise continuation runs, so
 * code under test observes the same interleaving on every run. No global is patched: hand the
 * clock to the policies under test (`clock` option).
 *
 * @example
 * ```ts
 * import { retry, constantBackoff } from 'crackstop';
 * import { ManualClock } from 'crackstop/testing';
 *
 * const clock = new ManualClock();
 * const policy = retry({ clock, maxAttempts: 3, backoff: constantBackoff(1_000) });
 * let calls = 0;
 * const result = policy.execute(() => (++calls < 3 ? Promise.reject(new Error('flaky')) : 'ok'));
 * await clock.advance(2_000); // both backoff waits pass, no real time spent
 * console.log(await result, calls); // 'ok' 3
 * ```
 */
export class ManualClock implements Clock {
  #now: number;
  #nextId = 1;
  /** A binary min-heap of pending timers. */
  readonly #heap: Timer[] = [];
  /** Ids of pending timers (a cleared timer leaves the heap lazily). */
  readonly #pending: Set<number> = new Set();
  readonly #maxTimersPerRun: number;

  constructor(options?: ManualClockOptions) {
    const opts = checkOptions('ManualClock', options, ['start', 'maxTimersPerRun']);
    this.#now = optionalNumber('ManualClock', 'start', opts['start'], { min: 0, max: Number.MAX_SAFE_INTEGER }, 0);
    this.#maxTimersPerRun = optionalNumber('ManualClock', 'maxTimersPerRun', opts['maxTimersPerRun'], { min: 1, integer: true }, 100_000);
  }

  /** The current time, in milliseconds. */
  now(): number {
    return this.#now;
  }

  /** Schedules `callback` at `now() + ms` (a negative or NaN `ms` counts as 0). */
  setTimeout(callback: () => void, ms: number): TimerHandle {
    const timer: Timer = { id: this.#nextId++, due: this.#now + (ms > 0 ? ms : 0), callback };
    this.#push(timer);
    this.#pending.add(timer.id);
    return timer.id;
  }

  /** Cancels a timer; unknown or fired handles are ignored. */
  clearTimeout(handle: TimerHandle): void {
    if (typeof handle !== 'number' || !this.#pending.delete(handle)) return;
    // A cleared timer leaves the heap lazily; when most of the heap is cleared timers, rebuild it
    // so that memory follows the pending count in long runs where time never reaches them.
    const heap = this.#heap;
    if (heap.length > 64 && heap.length > 2 * this.#pending.size) {
      const live = heap.filter((timer) => this.#pending.has(timer.id)).sort((a, b) => (before(a, b) ? -1 : 1));
      // A sorted array is a valid min-heap. Copied in a loop: spreading hundreds of thousands of
      // timers as arguments would overflow the stack.
      heap.length = live.length;
      for (let i = 0; i < live.length; i++) heap[i] = live[i] as Timer;
    }
  }

  /** How many timers are pending. */
  get pendingTimers(): number {
    return this.#pending.size;
  }

  /** When the next pending timer is due, or `undefined` when none is. */
  get nextTimerAt(): number | undefined {
    return this.#peek()?.due;
  }

  /**
   * Moves time forward by `ms`, firing every timer due on the way in time order, with time set to
   * each timer's due time while it fires and promise continuations run in between. Timers set by
   * those callbacks fire too if they fall due within the span. `ms` is a finite number from 0 to
   * 2^53-1 (a RangeError or TypeError otherwise).
   */
  async advance(ms: number): Promise<void> {
    checkNumber('ManualClock.advance()', 'ms', ms, { min: 0, max: Number.MAX_SAFE_INTEGER });
    const target = this.#now + ms;
    let fired = 0;
    await settle();
    for (let timer = this.#peek(); timer !== undefined && timer.due <= target; timer = this.#peek()) {
      this.#guard(++fired, 'advance');
      this.#fire(timer);
      await settle();
    }
    if (target > this.#now) this.#now = target; // overlapping advance() calls never move time back
    await settle();
  }

  /** Stops a run that a self-re-arming timer would make endless (time never passes it). */
  #guard(fired: number, method: string): void {
    if (fired > this.#maxTimersPerRun) {
      throw new Error(`ManualClock.${method}(): more than ${this.#maxTimersPerRun} timers fired; a timer keeps re-arming itself`);
    }
  }

  /** Moves time to the next pending timer and fires it (and any due at the same time); false when none is pending. */
  async advanceToNext(): Promise<boolean> {
    await settle();
    const timer = this.#peek();
    if (timer === undefined) return false;
    await this.advance(timer.due - this.#now);
    return true;
  }

  /** Fires timers until none is pending; returns how many fired. Throws past `maxTimersPerRun`. */
  async runAll(): Promise<number> {
    let fired = 0;
    await settle();
    for (let timer = this.#peek(); timer !== undefined; timer = this.#peek()) {
      this.#guard(++fired, 'runAll');
      this.#fire(timer);
      await settle();
    }
    return fired;
  }

  #fire(timer: Timer): void {
    this.#pop();
    this.#pending.delete(timer.id);
    if (timer.due > this.#now) this.#now = timer.due;
    timer.callback();
  }

  /** The earliest pending timer, dropping cleared ones from the top of the heap. */
  #peek(): Timer | undefined {
    let top = this.#heap[0];
    while (top !== undefined && !this.#pending.has(top.id)) {
      this.#pop();
      top = this.#heap[0];
    }
    return top;
  }

  #push(timer: Timer): void {
    const heap = this.#heap;
    let i = heap.push(timer) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as Timer;
      if (!before(timer, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = timer;
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right] as Timer, heap[left] as Timer) ? right : left;
      if (!before(heap[child] as Timer, last)) break;
      heap[i] = heap[child] as Timer;
      i = child;
    }
    heap[i] = last;
  }
}
