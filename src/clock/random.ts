/**
 * The default source of randomness (the only place `Math.random` is read).
 *
 * @module
 */

/**
 * The default `random` of every policy that needs randomness: `Math.random`. Pass your own
 * (for example `seededRandom(seed)` from `crackstop/testing`) to make jitter reproducible.
 *
 * @example
 * ```ts
 * import { retry, systemRandom } from 'crackstop';
 *
 * const policy = retry({ random: systemRandom });
 * ```
 */
export const systemRandom: () => number = () => Math.random();
