/**
 * The external pressure signal: a user function read at each decision.
 *
 * @internal
 * @module
 */
import { describeValue } from '../core/validate.js';

/**
 * Reads a user's `() => number` safely: the value is clamped to [0, 1]; a throw or a non-number
 * counts as 0 (the shedder fails open: a broken probe must not turn all traffic away) and is
 * handed to `failed` to be reported.
 *
 * @internal
 */
export class PressureSignal {
  readonly #read: () => number;
  readonly #failed: (error: unknown) => void;

  constructor(read: () => number, failed: (error: unknown) => void) {
    this.#read = read;
    this.#failed = failed;
  }

  /** The pressure now, in [0, 1]. */
  read(): number {
    let value: unknown;
    try {
      value = this.#read();
    } catch (error) {
      this.#failed(error);
      return 0;
    }
    if (typeof value !== 'number' || Number.isNaN(value)) {
      this.#failed(new TypeError(`loadShedder(): \`pressure\` must return a number in [0, 1], got ${describeValue(value)}`));
      return 0;
    }
    return value > 1 ? 1 : value > 0 ? value : 0;
  }
}
