/**
 * The queue-delay signal, CoDel-style: overloaded when the time work waits before it starts
 * stayed above the target for a whole interval.
 *
 * @internal
 * @module
 */

/**
 * CoDel's test (Nichols and Jacobson, "Controlling Queue Delay") without a timer: time is cut
 * into consecutive intervals, and the signal is the smallest delay seen in the last complete
 * interval, as a fraction of the target. A minimum above the target means that no work went
 * through the queue quickly during a whole interval: a standing queue, not a burst. One short
 * wait in the current interval ends it at once (as CoDel leaves its dropping state), and an
 * interval in which no work started counts as an empty queue. Fixed memory: a few numbers.
 *
 * @internal
 */
export class QueueDelaySignal {
  readonly targetMs: number;
  readonly intervalMs: number;
  /** The current interval: [#intervalStart, #intervalEnd). */
  #intervalStart: number;
  #intervalEnd: number;
  #currentMin = Infinity;
  #currentCount = 0;
  /** The smallest delay of the last complete interval (0 when no work started in it). */
  #lastMin = 0;

  constructor(targetMs: number, intervalMs: number, now: number) {
    this.targetMs = targetMs;
    this.intervalMs = intervalMs;
    this.#intervalStart = now;
    this.#intervalEnd = now + intervalMs;
  }

  /** Records the time one piece of work waited before it started, observed at `now`. */
  record(delayMs: number, now: number): void {
    this.#roll(now);
    if (delayMs < this.#currentMin) this.#currentMin = delayMs;
    this.#currentCount++;
  }

  /** The signal as a fraction of the target: 1 or more when overloaded. */
  ratio(now: number): number {
    this.#roll(now);
    const current = this.#currentCount > 0 && this.#currentMin < this.#lastMin ? this.#currentMin : this.#lastMin;
    return current / this.targetMs;
  }

  #roll(now: number): void {
    const end = this.#intervalEnd;
    if (now < end && now >= this.#intervalStart) return;
    if (now >= end && now < end + this.intervalMs) {
      this.#lastMin = this.#currentCount > 0 ? this.#currentMin : 0;
      this.#intervalStart = end;
      this.#intervalEnd = end + this.intervalMs;
    } else if (now >= end || now < this.#intervalStart) {
      // A whole interval (or more) passed with no record at all: the queue was empty. Or the
      // clock stepped back before the current interval (it should not): how much time passed is
      // unknown, so start afresh, as after idle time, rather than freeze until it catches up.
      this.#lastMin = 0;
      this.#intervalStart = now;
      this.#intervalEnd = now + this.intervalMs;
    } else {
      return; // a clock that reads NaN: keep the state as it is
    }
    this.#currentMin = Infinity;
    this.#currentCount = 0;
  }
}
