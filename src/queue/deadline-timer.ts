/**
 * One timer for a FIFO of waiters that share a maximum wait: their deadlines follow their order,
 * so the timer only ever needs to be set for the oldest one.
 *
 * @internal
 * @module
 */
import type { Clock, TimerHandle } from '../clock/clock.js';

/**
 * A single re-armable timer. The owner arms it for its oldest waiter's deadline; when it fires,
 * the owner refuses every waiter whose deadline has passed and arms it again for the next one.
 * However many waiters there are, at most one timer is pending, and none once nobody waits.
 *
 * @internal
 */
export class DeadlineTimer {
  #handle: TimerHandle = undefined;
  #armed = false;
  /** The clock time it is set for, while armed. */
  #due = 0;
  readonly #clock: Clock;
  readonly #onDue: () => void;

  constructor(clock: Clock, onDue: () => void) {
    this.#clock = clock;
    this.#onDue = onDue;
  }

  /**
   * Sets the timer for `deadline` (clock time), unless it is already set for that time or
   * earlier. (Set for a later time, it is moved: a listener called while the owner refuses
   * expired waiters may add a waiter, and arm for its deadline, before the owner re-arms for
   * its oldest.)
   */
  arm(deadline: number): void {
    if (this.#armed) {
      if (this.#due <= deadline) return;
      this.#clock.clearTimeout(this.#handle);
    }
    this.#armed = true;
    this.#due = deadline;
    this.#handle = this.#clock.setTimeout(this.#fire, deadline - this.#clock.now());
  }

  /** Clears the timer if it is set. */
  disarm(): void {
    if (!this.#armed) return;
    this.#armed = false;
    this.#clock.clearTimeout(this.#handle);
  }

  readonly #fire = (): void => {
    this.#armed = false;
    this.#onDue();
  };
}
