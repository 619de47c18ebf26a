import { createEventHub, type Clock, type ResilienceEvent } from '../../src/index.js';
export { deferred, type Deferred } from '../helpers/deferred.js';


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
