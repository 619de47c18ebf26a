/**
 * Wall-clock time, for timestamps shown to people (the `time` of a health report entry). Never
 * used to measure durations or schedule anything: that is the monotonic `Clock`'s job.
 *
 * @internal
 * @module
 */

/** Milliseconds since the Unix epoch, from the runtime's wall clock. */
export function wallClockNow(): number {
  return Date.now();
}
