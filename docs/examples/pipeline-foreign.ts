import { pipeline, retry, timeout, type ExecuteOptions, type Policy, type Task } from '../../src/index.js';

/** A policy from outside crackstop: anything with a compatible execute() can be a layer. */
const timing: Policy = {
  async execute<T>(fn: Task<T>, options?: ExecuteOptions): Promise<T> {
    const started = performance.now();
    try {
      // Hand the caller's signal on, so that aborts still reach the inner layers.
      return await fn({ signal: options?.signal ?? new AbortController().signal, attempt: 1 });
    } finally {
      console.log(`attempt took ${(performance.now() - started).toFixed(1)} ms`);
    }
  },
};

export const policy = pipeline(retry({ maxAttempts: 3 }), timing, timeout({ ms: 1_000 }));
