import { getEventListeners } from 'node:events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLoadShedError, loadShedder, type ShedEvent, type ShedPermit, type ShedPriority } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { recordingHub } from './helpers.js';

const priority = fc.constantFrom<ShedPriority>('critical', 'normal', 'sheddable');

describe('loadShedder › properties', () => {
  it('failure modes 8, 27, 28: in flight never exceeds maxInFlight under races of completes, throws and aborts; nothing leaks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 1, max: 4 }),
        fc.array(
          fc.record({
            priority,
            abort: fc.constantFrom('none', 'before', 'during'),
            outcome: fc.constantFrom('resolve', 'reject', 'throw', 'honour-abort'),
            sharedSignal: fc.boolean(),
          }),
          { minLength: 1, maxLength: 25 },
        ),
        async (s, max, plan) => {
          const { events, seen } = recordingHub();
          const shedder = loadShedder({ maxInFlight: max, events });
          const shared = new AbortController();
          let running = 0;
          let peak = 0;
          let ran = 0;
          // Checked inside the function, where a throw would only fail that call: collected, and
          // asserted after the run.
          const violations: string[] = [];
          const outcomes: Promise<string>[] = [];
          for (const [i, step] of plan.entries()) {
            const controller = step.sharedSignal ? shared : new AbortController();
            const reason = new Error(`abort ${i}`);
            if (step.abort === 'before' && !step.sharedSignal) controller.abort(reason);
            const fn = ({ signal }: { signal: AbortSignal }) => {
              ran++;
              running++;
              peak = Math.max(peak, running);
              let ended = false;
              const end = () => {
                if (!ended) running--;
                ended = true;
              };
              if (shedder.inFlight > max) violations.push(`call ${i} ran with ${shedder.inFlight} in flight`);
              if (step.abort === 'before' && !step.sharedSignal) violations.push(`failure mode 8: call ${i} ran after a pre-abort`);
              if (step.outcome === 'throw') {
                end();
                throw new Error('sync throw');
              }
              // The work ends when the scheduler says so (ignoring its signal), or, for
              // 'honour-abort', as soon as its signal aborts.
              return new Promise<string>((resolve, reject) => {
                if (step.outcome === 'honour-abort') {
                  signal.addEventListener('abort', () => {
                    end();
                    reject(signal.reason);
                  });
                }
                void s.schedule(Promise.resolve(step.outcome)).then((o) => {
                  end();
                  if (o === 'reject') reject(new Error('work failed'));
                  else resolve('done');
                });
              });
            };
            const start = s.schedule(Promise.resolve(`start ${i}`)).then(() =>
              shedder.execute(fn, { signal: controller.signal, priority: step.priority }).then(
                () => 'ok',
                (e: unknown) => (isLoadShedError(e) ? 'shed' : e === reason || (e instanceof Error && e.message.startsWith('abort')) ? 'aborted' : 'failed'),
              ),
            );
            outcomes.push(start);
            if (step.abort === 'during') void s.schedule(Promise.resolve(`abort ${i}`)).then(() => controller.abort(reason));
          }
          await s.waitAll();
          const results = await Promise.all(outcomes);
          expect(violations).toEqual([]);
          expect(peak).toBeLessThanOrEqual(max);
          expect(shedder.inFlight).toBe(0);
          const snapshot = shedder.snapshot();
          expect(snapshot.admitted).toBe(ran);
          expect(snapshot.shed).toBe(results.filter((r) => r === 'shed').length);
          // failure mode 35: one shed event per refusal, and a critical refusal only at the hard limit.
          const shedEvents = seen.filter((e): e is ShedEvent => e.type === 'shed');
          expect(shedEvents).toHaveLength(snapshot.shed);
          for (const e of shedEvents) if (e.priority === 'critical') expect(e.inFlight).toBe(max);
          // failure mode 4: no listener left on any signal.
          expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
          // failure mode 27: after everything settled, the full capacity is admitted at once.
          const permits = Array.from({ length: max }, () => shedder.tryAdmit('critical'));
          expect(permits.every((p) => p !== undefined)).toBe(true);
          expect(shedder.tryAdmit('critical')).toBeUndefined();
          permits.forEach((p) => p?.release());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('critical is never shed unless the hard limit is reached, whatever the soft signals say', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('admit' as const), priority }),
            fc.record({ op: fc.constant('release' as const), index: fc.nat() }),
            fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 300 }) }),
            fc.record({ op: fc.constant('queue' as const), ms: fc.integer({ min: 0, max: 500 }) }),
            fc.record({ op: fc.constant('pressure' as const), value: fc.double({ min: -1, max: 2, noNaN: true }) }),
          ),
          { maxLength: 80 },
        ),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        async (max, ops, ramp) => {
          const clock = new ManualClock();
          let pressure = 0;
          const shedder = loadShedder({
            clock,
            ...(max === undefined ? {} : { maxInFlight: max }),
            targetQueueDelayMs: 20,
            latency: { targetMs: 50, minSamples: 1 },
            pressure: () => pressure,
            ramp: Math.min(ramp, 0.75),
          });
          const live: ShedPermit[] = [];
          for (const op of ops) {
            if (op.op === 'admit') {
              const inFlight = shedder.inFlight;
              const permit = shedder.tryAdmit(op.priority);
              if (permit !== undefined) live.push(permit);
              else if (op.priority === 'critical') expect(max !== undefined && inFlight >= max).toBe(true);
            } else if (op.op === 'release' && live.length > 0) {
              const [permit] = live.splice(op.index % live.length, 1);
              expect(permit?.release()).toBe(true);
              expect(permit?.release()).toBe(false);
            } else if (op.op === 'advance') {
              await clock.advance(op.ms);
            } else if (op.op === 'queue') {
              shedder.recordQueueDelay(op.ms);
            } else if (op.op === 'pressure') {
              pressure = op.value;
            }
            expect(shedder.inFlight).toBe(live.length);
            if (max !== undefined) expect(shedder.inFlight).toBeLessThanOrEqual(max);
            const p = shedder.pressure();
            expect(p >= 0 && p <= 1).toBe(true);
          }
          live.forEach((permit) => permit.release());
          expect(shedder.inFlight).toBe(0);
          expect(clock.pendingTimers).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('failure mode 28 (model-based): permits never leak and are never released twice', () => {
    interface Model {
      live: number;
      readonly max: number;
    }
    interface Real {
      readonly shedder: ReturnType<typeof loadShedder>;
      readonly permits: ShedPermit[];
    }
    class Admit implements fc.Command<Model, Real> {
      readonly priority: ShedPriority;
      constructor(priority: ShedPriority) {
        this.priority = priority;
      }
      check = () => true;
      run(m: Model, r: Real): void {
        const permit = r.shedder.tryAdmit(this.priority);
        const cap = this.priority === 'critical' ? m.max : Math.max(1, Math.ceil((this.priority === 'normal' ? 0.9 : 0.75) * m.max - 1e-9));
        expect(permit !== undefined).toBe(m.live < cap);
        if (permit !== undefined) {
          r.permits.push(permit);
          m.live++;
        }
        expect(r.shedder.inFlight).toBe(m.live);
      }
      toString = () => `admit(${this.priority})`;
    }
    class Release implements fc.Command<Model, Real> {
      readonly index: number;
      readonly times: number;
      constructor(index: number, times: number) {
        this.index = index;
        this.times = times;
      }
      check = () => true;
      run(m: Model, r: Real): void {
        const permit = r.permits[this.index % Math.max(1, r.permits.length)];
        if (permit === undefined) return;
        const wasLive = !permit.released;
        const results = Array.from({ length: this.times }, () => permit.release());
        expect(results.filter(Boolean)).toHaveLength(wasLive ? 1 : 0);
        if (wasLive) m.live--;
        expect(r.shedder.inFlight).toBe(m.live);
        expect(r.shedder.inFlight).toBeGreaterThanOrEqual(0);
      }
      toString = () => `release(${this.index}) × ${this.times}`;
    }
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.commands([priority.map((p) => new Admit(p)), fc.tuple(fc.nat(30), fc.integer({ min: 1, max: 3 })).map(([i, n]) => new Release(i, n))], {
          maxCommands: 60,
        }),
        (max, commands) => {
          const shedder = loadShedder({ maxInFlight: max });
          fc.modelRun(() => ({ model: { live: 0, max }, real: { shedder, permits: [] } }), commands);
        },
      ),
      { numRuns: 300 },
    );
  });
});
