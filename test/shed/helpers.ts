import { createEventHub, type Clock, type ResilienceEvent } from '../../src/index.js';

/** A promise with its settle functions, for work that ends when the test says so. */
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

/** An event hub that records every event. */
export function recordingHub(): { readonly events: ReturnType<typeof createEventHub>; readonly seen: ResilienceEvent[] } {
  const events = createEventHub();
  const seen: ResilienceEvent[] = [];
  events.onAny((e) => seen.push(e));
  return { events, seen };
}

/** Lets pending promise continuations run. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A clock that a test sets by hand (`clock.t = ...`), free to step backwards as a clock built on
 * wall time would; it fails the test if a timer is ever set.
 */
export function handClock(): Clock & { t: number } {
  return {
    t: 0,
    now() {
      return this.t;
    },
    setTimeout() {
      throw new Error('the shedder set a timer');
    },
    clearTimeout() {
      throw new Error('the shedder cleared a timer');
    },
  };
}
