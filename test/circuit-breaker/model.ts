// The reference model of the model-based test (model.test.ts): the rules of the issue written
// as plainly as possible, with the window as a naive list of every call since the last close.
import fc from 'fast-check';
import { linearBackoff, type Backoff, type CircuitBreakerOptions, type CircuitState, type WindowOptions } from '../../src/index.js';

export interface Config {
  readonly kind: 'consecutive' | 'count' | 'time';
  readonly failures: number;
  readonly size: number;
  readonly minimumCalls: number;
  readonly failureRate: number;
  readonly slowCallMs: number | undefined;
  readonly slowCallRate: number;
  readonly durationMs: number;
  readonly buckets: number;
  readonly openMs: number | Backoff;
  readonly maxProbes: number;
  readonly successesToClose: number;
  readonly probeTimeoutMs: number;
  /** How long a "slow" call takes. */
  readonly slowFor: number;
  /** Whether a listener hears the call events (the breaker then times every call). */
  readonly listenToCalls: boolean;
}

export const configArb: fc.Arbitrary<Config> = fc
  .record({
    kind: fc.constantFrom('consecutive' as const, 'count' as const, 'time' as const),
    failures: fc.integer({ min: 1, max: 4 }),
    size: fc.integer({ min: 1, max: 6 }),
    minimumCalls: fc.integer({ min: 1, max: 6 }),
    failureRate: fc.constantFrom(0.25, 0.5, 0.75, 1),
    slowCallMs: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
    slowCallRate: fc.constantFrom(0.5, 1),
    durationMs: fc.integer({ min: 10, max: 400 }),
    buckets: fc.integer({ min: 1, max: 5 }),
    openMs: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constant(-1)),
    maxProbes: fc.integer({ min: 1, max: 3 }),
    successesToClose: fc.integer({ min: 1, max: 3 }),
    extra: fc.integer({ min: 1, max: 300 }),
    listenToCalls: fc.boolean(),
  })
  .map((c) => {
    const slowFor = c.slowCallMs === undefined ? 7 : c.slowCallMs + 1;
    return {
      ...c,
      minimumCalls: c.kind === 'count' ? Math.min(c.minimumCalls, c.size) : c.minimumCalls,
      openMs: c.openMs < 0 ? linearBackoff({ initialMs: 50, stepMs: 50, maxMs: 200 }) : c.openMs,
      slowFor,
      probeTimeoutMs: slowFor + c.extra,
    };
  });

export function options(c: Config): CircuitBreakerOptions {
  const slow = c.slowCallMs === undefined ? {} : { slowCallMs: c.slowCallMs };
  const rates = { failureRate: c.failureRate, minimumCalls: c.minimumCalls, ...slow, ...(c.slowCallMs === undefined ? {} : { slowCallRate: c.slowCallRate }) };
  const window: WindowOptions =
    c.kind === 'consecutive'
      ? { kind: 'consecutive', failures: c.failures, ...slow }
      : c.kind === 'count'
        ? { kind: 'count', size: c.size, ...rates }
        : { kind: 'time', durationMs: c.durationMs, buckets: c.buckets, ...rates };
  return { window, openMs: c.openMs, halfOpen: { maxProbes: c.maxProbes, successesToClose: c.successesToClose, probeTimeoutMs: c.probeTimeoutMs } };
}

interface Probe {
  readonly id: number;
  readonly deadline: number;
  readonly generation: number;
}

interface Entry {
  readonly t: number;
  readonly failure: boolean;
  readonly slow: boolean;
}

/** The reference model: the rules of the issue, written as plainly as possible. */
export class Model {
  state: CircuitState = 'closed';
  generation = 0;
  now = 0;
  openUntil = 0;
  openings = 0;
  lastOpenMs = 0;
  /** Every call recorded since the circuit last closed, oldest first: the naive window. */
  list: Entry[] = [];
  /**
   * Probes in flight, by id, with their deadlines and the generation that admitted them. Each
   * holds a slot until it ends, whatever the state meanwhile; only the current generation's decide.
   */
  probes: Probe[] = [];
  successes = 0;
  handles = 0;
  readonly c: Config;

  constructor(c: Config) {
    this.c = c;
  }

  transition(to: CircuitState): void {
    this.state = to;
    this.generation++;
    this.successes = 0;
    if (to === 'closed') {
      this.list = [];
      this.openings = this.lastOpenMs = 0;
    }
  }

  open(at: number): void {
    this.openings++;
    const ms = typeof this.c.openMs === 'number' ? this.c.openMs : this.c.openMs.delay(this.openings, this.lastOpenMs, () => 0);
    this.lastOpenMs = ms;
    this.openUntil = at + ms;
    this.transition('open');
  }

  refresh(): void {
    if (this.state === 'open' && this.now >= this.openUntil) this.transition('half-open');
  }

  /** Admits a probe now (the caller checked that a slot is free). */
  admit(id: number): void {
    this.probes.push({ id, deadline: this.now + this.c.probeTimeoutMs, generation: this.generation });
  }

  /** Moves time to `target`, giving up probes whose deadline passes on the way. */
  advanceTo(target: number): void {
    for (;;) {
      const due = this.probes.filter((p) => p.deadline <= target).sort((a, b) => a.deadline - b.deadline)[0];
      if (due === undefined) break;
      this.now = due.deadline;
      this.probes.splice(this.probes.indexOf(due), 1);
      if (due.generation === this.generation) this.open(due.deadline);
    }
    this.now = target;
  }

  /** The window's calls now (the time window drops buckets that fell out of it). */
  window(): Entry[] {
    const c = this.c;
    if (c.kind === 'count') return this.list.slice(-c.size);
    if (c.kind === 'time') {
      const width = c.durationMs / c.buckets;
      const current = Math.floor(this.now / width);
      return this.list.filter((e) => Math.floor(e.t / width) > current - c.buckets);
    }
    const run: Entry[] = [];
    for (let i = this.list.length - 1; i >= 0; i--) {
      const e = this.list[i] as Entry;
      if (!e.failure && !e.slow) break;
      run.push(e);
    }
    return run;
  }

  record(failure: boolean, slow: boolean): void {
    this.list.push({ t: this.now, failure, slow });
    const w = this.window();
    const c = this.c;
    const crossed =
      c.kind === 'consecutive'
        ? w.length >= c.failures
        : w.length >= c.minimumCalls &&
          (w.filter((e) => e.failure).length / w.length >= c.failureRate ||
            (c.slowCallMs !== undefined && w.filter((e) => e.slow).length / w.length >= c.slowCallRate));
    if (crossed) this.open(this.now);
  }

  /** A probe ended with an outcome (ignored when it had already been given up or aborted). */
  probeDone(id: number, good: boolean): void {
    const i = this.probes.findIndex((p) => p.id === id);
    if (i === -1) return;
    const [probe] = this.probes.splice(i, 1);
    if (probe?.generation !== this.generation) return; // stale: frees its slot, decides nothing
    if (!good) this.open(this.now);
    else if (++this.successes >= this.c.successesToClose) this.transition('closed');
  }
}
