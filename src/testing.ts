/**
 * Test support for code that uses crackstop: a clock moved by hand, reproducible randomness, and
 * fast-check helpers (fast-check is passed in, never imported, so crackstop keeps zero
 * dependencies).
 *
 * @module crackstop/testing
 */
export { ManualClock, type ManualClockOptions } from './testing/manual-clock.js';
export { seededRandom } from './testing/seeded-random.js';
export type { ArbitraryInput, FastCheck, FcArbitrary, SchedulerLike } from './testing/fast-check-types.js';
export { failureSchedule, type FailureScheduleOptions, type FaultStep } from './testing/failure-schedule.js';
export { scriptedTask, type ScriptedCall, type ScriptedContext, type ScriptedOutcome, type ScriptedTask, type ScriptedTaskOptions } from './testing/scripted-task.js';
export { runUntilIdle, scheduleAdvance, type RunUntilIdleOptions } from './testing/scheduler-clock.js';
