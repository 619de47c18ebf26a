/**
 * Test support for code that uses crackstop: a clock moved by hand, reproducible randomness, and
 * fast-check helpers (fast-check is passed in, never imported, so crackstop keeps zero
 * dependencies).
 *
 * @module crackstop/testing
 */
export { ManualClock, type ManualClockOptions } from './testing/manual-clock.js';
export { seededRandom } from './testing/seeded-random.js';
