/** Small helpers shared by the retry tests. */
import { createEventHub, type EventHub, type ResilienceEvent } from '../../src/index.js';

/** The state of a promise, readable synchronously after a flush. */
export interface Tracked<T> {
  readonly promise: Promise<T>;
  readonly state: 'pending' | 'fulfilled' | 'rejected';
  readonly value: T | undefined;
  readonly reason: unknown;
  /** How many times a settle callback ran (must end at exactly 1). */
  readonly settles: number;
}

/** Observes `promise` at once (so a rejection is never unhandled) and records how it settles. */
export function track<T>(promise: Promise<T>): Tracked<T> {
  const tracked = { promise, state: 'pending' as Tracked<T>['state'], value: undefined as T | undefined, reason: undefined as unknown, settles: 0 };
  promise.then(
    (value) => {
      tracked.settles++;
      tracked.state = 'fulfilled';
      tracked.value = value;
    },
    (reason: unknown) => {
      tracked.settles++;
      tracked.state = 'rejected';
      tracked.reason = reason;
    },
  );
  return tracked;
}

/** Lets every pending promise continuation run, without moving any clock. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A hub that records every event, and the recorded events. */
export function recordEvents(): { readonly events: EventHub; readonly seen: ResilienceEvent[] } {
  const events = createEventHub();
  const seen: ResilienceEvent[] = [];
  events.onAny((event) => seen.push(event));
  return { events, seen };
}

/** The events of one type, typed. */
export function ofType<K extends ResilienceEvent['type']>(seen: readonly ResilienceEvent[], type: K): Extract<ResilienceEvent, { type: K }>[] {
  return seen.filter((e): e is Extract<ResilienceEvent, { type: K }> => e.type === type);
}

/** An error class with a field, to check that identity and fields survive. */
export class HttpError extends Error {
  readonly status: number;
  constructor(status: number) {
    super(`HTTP ${status}`);
    this.name = 'HttpError';
    this.status = status;
  }
}
