/**
 * A reproducible source of randomness.
 *
 * @module
 */
import { checkNumber } from '../core/validate.js';

/**
 * A seeded pseudo-random generator (mulberry32) returning numbers in [0, 1): the same seed gives
 * the same sequence on every run. Hand it to a policy's `random` option to make jitter
 * reproducible in tests.
 *
 * @throws TypeError or RangeError when `seed` is not an integer.
 *
 * @example
 * ```ts
 * import { exponentialBackoff, retry } from 'crackstop';
 * import { seededRandom } from 'crackstop/testing';
 *
 * const policy = retry({ backoff: exponentialBackoff(), random: seededRandom(42) });
 * ```
 */
export function seededRandom(seed: number): () => number {
  let state = checkNumber('seededRandom()', 'seed', seed, { integer: true }) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
