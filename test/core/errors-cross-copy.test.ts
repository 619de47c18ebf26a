import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as local from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { bundleCrackstop, type Bundle } from '../helpers/bundle.js';
import { hang, observe } from '../helpers/deferred.js';

// A second copy of crackstop, as when an app loads the ESM build and a dependency the CJS one:
// src/index.ts bundled by esbuild (the bundler tsup uses) and loaded from a temp directory.
type Crackstop = typeof local;

let bundle: Bundle;
let copies: Array<[string, Crackstop]>;

beforeAll(async () => {
  bundle = await bundleCrackstop();
  const esm = (await import(pathToFileURL(bundle.esm).href)) as Crackstop;
  const cjs = createRequire(import.meta.url)(bundle.cjs) as Crackstop;
  copies = [
    ['ESM', esm],
    ['CJS', cjs],
  ];
}, 20_000);

afterAll(async () => {
  await bundle.remove();
});

describe('errors across copies of the library', () => {
  it('loads copies that really are separate (distinct classes)', () => {
    for (const [, other] of copies) {
      expect(other.TimeoutError).not.toBe(local.TimeoutError);
      expect(other.ResilienceError).not.toBe(local.ResilienceError);
    }
  });

  it('keeps the class names stable after bundling (name is not "_TimeoutError")', () => {
    for (const [kind, other] of copies) {
      expect(new other.TimeoutError(1).name, kind).toBe('TimeoutError');
      expect(new other.ResilienceError('ERR_X', 'x').name, kind).toBe('ResilienceError');
    }
  });

  it('instanceof works both ways between copies', () => {
    for (const [kind, other] of copies) {
      expect(new other.TimeoutError(1) instanceof local.TimeoutError, kind).toBe(true);
      expect(new other.TimeoutError(1) instanceof local.ResilienceError, kind).toBe(true);
      expect(new local.TimeoutError(1) instanceof other.TimeoutError, kind).toBe(true);
      expect(new local.TimeoutError(1) instanceof other.ResilienceError, kind).toBe(true);
      expect(new other.ResilienceError('ERR_X', 'x') instanceof local.ResilienceError, kind).toBe(true);
      expect(new other.ResilienceError('ERR_X', 'x') instanceof local.TimeoutError, kind).toBe(false);
      expect(new Error('x') instanceof other.ResilienceError, kind).toBe(false);
    }
  });

  it('guards of one copy recognise errors of the other', () => {
    for (const [kind, other] of copies) {
      expect(local.isTimeoutError(new other.TimeoutError(1)), kind).toBe(true);
      expect(other.isTimeoutError(new local.TimeoutError(1)), kind).toBe(true);
      expect(local.isResilienceError(new other.ResilienceError('ERR_X', 'x')), kind).toBe(true);
      expect(local.hasErrorCode(new other.TimeoutError(1), 'ERR_TIMEOUT'), kind).toBe(true);
      expect(local.isRejection(new other.ResilienceError('ERR_BULKHEAD_FULL', 'full')), kind).toBe(true);
      expect(other.isRejection(new local.ResilienceError('ERR_LOAD_SHED', 'shed')), kind).toBe(true);
      expect(other.isRejection(new local.TimeoutError(1)), kind).toBe(false);
    }
  });

  it('a TimeoutError thrown by the other copy is recognised and keeps its fields', async () => {
    for (const [kind, other] of copies) {
      const clock = new ManualClock();
      const call = observe(other.timeout({ ms: 25, clock }).execute(() => hang()));
      await clock.advance(25);
      expect(call.state.status, kind).toBe('rejected');
      const error = call.state.status === 'rejected' ? call.state.reason : undefined;
      expect(error instanceof local.TimeoutError, kind).toBe(true);
      expect(local.isTimeoutError(error), kind).toBe(true);
      expect(error, kind).toMatchObject({ code: 'ERR_TIMEOUT', name: 'TimeoutError', timeoutMs: 25 });
    }
  });

  it('a policy of the other copy is a layer of this copy\'s pipeline, with a real signal', async () => {
    for (const [kind, other] of copies) {
      const clock = new ManualClock();
      let inner: AbortSignal | undefined;
      const policy = local.pipeline(other.timeout({ ms: 10, clock }), local.timeout({ ms: 1_000, clock }));
      const call = observe(
        policy.execute(({ signal }) => {
          inner = signal;
          return hang();
        }),
      );
      await clock.advance(10);
      expect(call.state.status === 'rejected' && local.isTimeoutError(call.state.reason), kind).toBe(true);
      expect(inner?.aborted, kind).toBe(true);
      expect(local.isTimeoutError(inner?.reason), kind).toBe(true);
      expect(clock.pendingTimers, kind).toBe(0);
    }
  });
});

describe('every exported error class after bundling', () => {
  it('has its export name as `name`, whatever the bundler calls the class (esbuild writes `_X`)', () => {
    for (const [kind, other] of copies) {
      const exported = Object.entries(other as unknown as Record<string, unknown>);
      const classes = exported.filter(
        (entry): entry is [string, new (...args: never[]) => Error] =>
          typeof entry[1] === 'function' && entry[1] !== other.ResilienceError && (entry[1] as { prototype?: unknown }).prototype instanceof other.ResilienceError,
      );
      // Every rejection code of docs/errors.md has its class, plus the timeout.
      expect(classes.length, kind).toBeGreaterThanOrEqual(4);
      // Constructor arguments where a class needs some; any class missing here is built with none.
      const args: Record<string, unknown[]> = {
        TimeoutError: [100],
        CircuitOpenError: [1_000],
        BulkheadRejectedError: ['full', 10, 0],
        QueueFullError: [8],
        LoadShedError: [{ retryAfterMs: 1_000, priority: 'normal', reason: 'in-flight' }],
      };
      for (const [name, ErrorClass] of classes) {
        const error = Reflect.construct(ErrorClass, args[name] ?? []) as Error;
        expect(error.name, `${kind} ${name}`).toBe(name);
      }
    }
  });
});
