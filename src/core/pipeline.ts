/**
 * Composition of policies, outermost first.
 *
 * @module
 */
import type { AttemptContext, Policy, Task } from './policy.js';
import { isScoped, PolicyCore } from './policy-core.js';
import { Scope } from './scope.js';
import { describeValue } from './validate.js';

/**
 * Runs `policies[index]` and, inside it, the rest. crackstop's own policies hand each other their
 * internal scope, so no AbortSignal is created unless the function reads one; a foreign policy
 * (any object with `execute`) is called with a real signal.
 */
function runFrom<T>(policies: readonly Policy[], index: number, fn: Task<T>, context: AttemptContext | undefined): T | PromiseLike<T> {
  const policy = policies[index];
  if (policy === undefined) return fn(context ?? new Scope(1));
  const next = (inner: AttemptContext): T | PromiseLike<T> => runFrom(policies, index + 1, fn, inner);
  if (isScoped(policy) && (context === undefined || context instanceof Scope)) return policy.runScoped(next, context);
  return policy.execute(next, context === undefined ? undefined : { signal: context.signal });
}

/** A pipeline of policies, itself a policy. */
class Pipeline extends PolicyCore {
  readonly policies: readonly Policy[];

  constructor(policies: readonly Policy[]) {
    super('pipeline()', 'pipeline', {});
    this.policies = policies;
  }

  runScoped<T>(fn: Task<T>, parent: Scope | undefined): Promise<T> {
    try {
      return Promise.resolve(runFrom(this.policies, 0, fn, parent));
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

/**
 * Composes policies into one, outermost first: `pipeline(a, b, c).execute(fn)` runs `fn` inside
 * `c`, inside `b`, inside `a`. Each layer hands the next a signal that aborts when the caller
 * aborts or when an outer layer gives up. The result is itself a {@link Policy}, so pipelines
 * nest; any object with a compatible `execute` can be a layer.
 *
 * Order matters: `pipeline(retry(), timeout({ ms }))` gives each attempt its own deadline;
 * `pipeline(timeout({ ms }), retry())` bounds all attempts together.
 *
 * @throws TypeError when an argument is not a policy.
 *
 * @example
 * ```ts
 * import { pipeline, retry, timeout } from 'crackstop';
 *
 * const policy = pipeline(retry({ maxAttempts: 3 }), timeout({ ms: 1_000 }));
 * const response = await policy.execute(({ signal }) => fetch('http://127.0.0.1:8080/', { signal }));
 * ```
 */
export function pipeline(...policies: Policy[]): Policy {
  policies.forEach((policy, index) => {
    if (typeof policy !== 'object' || policy === null || typeof (policy as Partial<Policy>).execute !== 'function') {
      throw new TypeError(`pipeline(): argument ${index} must be a policy (an object with execute()), got ${describeValue(policy)}`);
    }
  });
  return new Pipeline([...policies]);
}
