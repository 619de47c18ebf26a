/**
 * Building errors without capturing a stack trace, for errors created on hot failure paths
 * (a breaker or shedder refusing thousands of calls a second) or in timer callbacks whose frames
 * say nothing.
 *
 * @internal
 * @module
 */

interface StackLimit {
  stackTraceLimit?: number;
}

/**
 * Runs `build` with `Error.stackTraceLimit` at 0 (restored synchronously), so the error it
 * creates captures no stack frames: capturing costs microseconds per error. Where the runtime has
 * no such setting, or does not let it be set (frozen intrinsics), the error is built as usual.
 * The error keeps its own message and fields; nothing is reused, so no stack grows.
 */
export function withoutStack<E>(build: () => E): E {
  const errorClass = Error as StackLimit;
  const limit = errorClass.stackTraceLimit;
  if (typeof limit !== 'number') return build();
  try {
    errorClass.stackTraceLimit = 0;
  } catch {
    return build();
  }
  try {
    return build();
  } finally {
    errorClass.stackTraceLimit = limit;
  }
}
