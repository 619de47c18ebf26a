/**
 * A fake dependency that follows a fault schedule on a clock.
 *
 * @module
 */
import type { Clock, TimerHandle } from '../clock/clock.js';
import { checkNumber, checkOptions, describeValue, optionalBoolean, optionalClock } from '../core/validate.js';
import type { FaultStep } from './failure-schedule.js';

/**
 * Options of {@link scriptedTask}.
 *
 * @example
 * ```ts
 * import { ManualClock, type ScriptedTaskOptions } from 'crackstop/testing';
 *
 * const options: ScriptedTaskOptions = { clock: new ManualClock(), ignoresAbort: true };
 * ```
 */
export interface ScriptedTaskOptions {
  /** The clock latencies are measured on: the same (usually a `ManualClock`) as the policies'. */
  readonly clock: Clock;
  /**
   * Model a dependency that ignores its signal: latencies run to the end after an abort, and a
   * `hang` never settles at all. @defaultValue false
   */
  readonly ignoresAbort?: boolean;
}

/**
 * What {@link ScriptedTask.run} reads from its argument: a policy's attempt context matches.
 *
 * @example
 * ```ts
 * import { ManualClock, scriptedTask, type ScriptedContext } from 'crackstop/testing';
 *
 * const downstream = scriptedTask([{ kind: 'hang' }], { clock: new ManualClock() });
 * const context: ScriptedContext = { signal: AbortSignal.timeout(1_000) };
 * const pending = downstream.run(context);
 * ```
 */
export interface ScriptedContext {
  /** Aborting it settles the call with its reason (unless `ignoresAbort`). */
  readonly signal?: AbortSignal | undefined;
  /** Recorded in the call's log entry. */
  readonly attempt?: number | undefined;
}

/**
 * How a call of a {@link ScriptedTask} ended, or `pending` while it runs.
 *
 * @example
 * ```ts
 * import type { ScriptedOutcome } from 'crackstop/testing';
 *
 * const done = (o: ScriptedOutcome) => o !== 'pending';
 * ```
 */
export type ScriptedOutcome = 'pending' | 'succeeded' | 'failed' | 'aborted';

/**
 * One call of a {@link ScriptedTask}, as recorded in its `log`.
 *
 * @example
 * ```ts
 * import type { ScriptedCall } from 'crackstop/testing';
 *
 * const duration = (c: ScriptedCall<Error, undefined>) => (c.settledAt ?? Infinity) - c.startedAt;
 * ```
 */
export interface ScriptedCall<E, V> {
  /** 1 for the first call of the task, 2 for the second, and so on. */
  readonly call: number;
  /** The attempt number the policy gave (`context.attempt`), if any. */
  readonly attempt: number | undefined;
  readonly step: FaultStep<E, V>;
  /** `clock.now()` when the call started. */
  readonly startedAt: number;
  /** `clock.now()` when it settled; undefined while pending. */
  readonly settledAt: number | undefined;
  readonly outcome: ScriptedOutcome;
}

/**
 * A fake dependency made by {@link scriptedTask}. Pass `run` to a policy's `execute`.
 *
 * @example
 * ```ts
 * import { retry } from 'crackstop';
 * import { ManualClock, scriptedTask, type ScriptedTask } from 'crackstop/testing';
 *
 * const clock = new ManualClock();
 * const downstream: ScriptedTask<Error, string> = scriptedTask([{ kind: 'succeed', latencyMs: 0, value: 'ok' }], { clock });
 * await retry({ clock }).execute(downstream.run);
 * console.log(downstream.calls, downstream.active); // 1 0
 * ```
 */
export interface ScriptedTask<E, V> {
  /**
   * The task: call `n` follows step `n` of the schedule (the last step repeats once it runs out).
   * It takes a policy's attempt context, or just `{ signal }` from your own code.
   */
  readonly run: (context?: ScriptedContext) => Promise<V>;
  /** Calls started so far. */
  readonly calls: number;
  /** Calls started and not settled yet. */
  readonly active: number;
  /** Every call so far, in start order. */
  readonly log: readonly ScriptedCall<E, V>[];
}

class CallRecord<E, V> implements ScriptedCall<E, V> {
  readonly call: number;
  readonly attempt: number | undefined;
  readonly step: FaultStep<E, V>;
  readonly startedAt: number;
  settledAt: number | undefined = undefined;
  outcome: ScriptedOutcome = 'pending';

  constructor(call: number, attempt: number | undefined, step: FaultStep<E, V>, startedAt: number) {
    this.call = call;
    this.attempt = attempt;
    this.step = step;
    this.startedAt = startedAt;
  }
}

class Script<E, V> implements ScriptedTask<E, V> {
  readonly #steps: readonly FaultStep<E, V>[];
  readonly #clock: Clock;
  readonly #ignoresAbort: boolean;
  readonly #log: CallRecord<E, V>[] = [];
  #active = 0;

  constructor(steps: readonly FaultStep<E, V>[], clock: Clock, ignoresAbort: boolean) {
    this.#steps = steps;
    this.#clock = clock;
    this.#ignoresAbort = ignoresAbort;
  }

  get calls(): number {
    return this.#log.length;
  }

  get active(): number {
    return this.#active;
  }

  get log(): readonly ScriptedCall<E, V>[] {
    return this.#log;
  }

  readonly run = (context?: ScriptedContext): Promise<V> => {
    const steps = this.#steps;
    const step = steps[Math.min(this.#log.length, steps.length - 1)] as FaultStep<E, V>;
    const record = new CallRecord(this.#log.length + 1, context?.attempt, step, this.#clock.now());
    this.#log.push(record);
    this.#active++;
    const signal = this.#ignoresAbort ? undefined : context?.signal;
    return new Promise<V>((resolve, reject) => {
      const finish = (outcome: ScriptedOutcome): void => {
        record.outcome = outcome;
        record.settledAt = this.#clock.now();
        this.#active--;
      };
      const complete = (): void => {
        if (step.kind === 'succeed') {
          finish('succeeded');
          resolve(step.value);
        } else if (step.kind === 'fail') {
          finish('failed');
          reject(step.error);
        }
      };
      if (signal?.aborted === true) {
        finish('aborted');
        reject(signal.reason);
        return;
      }
      if (step.kind !== 'hang' && step.latencyMs === 0) {
        complete();
        return;
      }
      let timer: TimerHandle = undefined;
      const onAbort = (): void => {
        if (step.kind !== 'hang') this.#clock.clearTimeout(timer);
        finish('aborted');
        reject((signal as AbortSignal).reason);
      };
      if (step.kind !== 'hang') {
        timer = this.#clock.setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          complete();
        }, step.latencyMs);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  };
}

/**
 * A fault-injecting fake dependency: call `n` of `run` follows `steps[n - 1]` (once the steps run
 * out, the last one repeats) on `clock`. Latencies are timers on the clock, so a `ManualClock`
 * drives them; a latency of 0 settles without a timer. Like a well-behaved client (`fetch`), it
 * reads the attempt's signal and, when it aborts, clears its timer, removes its listener and
 * rejects with the signal's reason; a `hang` settles only that way. With `ignoresAbort` it models
 * a dependency that ignores cancellation. `calls`, `active` and `log` tell what happened.
 *
 * @throws TypeError or RangeError when `steps` is empty or an option is invalid.
 *
 * @example
 * ```ts
 * import { constantBackoff, retry } from 'crackstop';
 * import { ManualClock, scriptedTask } from 'crackstop/testing';
 *
 * const clock = new ManualClock();
 * const boom = new Error('boom');
 * const downstream = scriptedTask(
 *   [
 *     { kind: 'fail', latencyMs: 50, error: boom },
 *     { kind: 'succeed', latencyMs: 20, value: 'ok' },
 *   ],
 *   { clock },
 * );
 * const result = retry({ clock, backoff: constantBackoff(100) }).execute(downstream.run);
 * await clock.advance(170); // 50 ms failure, 100 ms backoff, 20 ms success
 * console.log(await result, downstream.calls); // 'ok' 2
 * ```
 */
export function scriptedTask<E, V>(steps: readonly FaultStep<E, V>[], options: ScriptedTaskOptions): ScriptedTask<E, V> {
  const where = 'scriptedTask()';
  if (!Array.isArray(steps)) throw new TypeError(`${where}: \`steps\` must be an array of fault steps, got ${describeValue(steps)}`);
  checkNumber(where, 'steps.length', steps.length, { min: 1 });
  const opts = checkOptions(where, options, ['clock', 'ignoresAbort']);
  const clock = optionalClock(where, opts['clock']);
  if (clock === undefined) throw new TypeError(`${where}: \`clock\` is required (the clock the policies under test use)`);
  const ignoresAbort = optionalBoolean(where, 'ignoresAbort', opts['ignoresAbort'], false);
  return new Script([...steps], clock, ignoresAbort);
}
