import { describe, expect, it } from 'vitest';
import {
  hasErrorCode,
  isRejection,
  isResilienceError,
  isTimeoutError,
  pipeline,
  ResilienceError,
  retry,
  timeout,
  TimeoutError,
} from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { hang, observe } from '../helpers/deferred.js';

const rejectionCodes = ['ERR_CIRCUIT_OPEN', 'ERR_CIRCUIT_ISOLATED', 'ERR_BULKHEAD_FULL', 'ERR_QUEUE_FULL', 'ERR_QUEUE_CLOSED', 'ERR_LOAD_SHED'];

describe('ResilienceError', () => {
  it('carries code, name, message and cause', () => {
    const cause = new Error('root');
    const error = new ResilienceError('ERR_SOMETHING', 'it broke', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('ERR_SOMETHING');
    expect(error.name).toBe('ResilienceError');
    expect(error.message).toBe('it broke');
    expect(error.cause).toBe(cause);
    expect(String(error)).toBe('ResilienceError: it broke');
  });

  it('has no cause property when none is given', () => {
    expect('cause' in new ResilienceError('ERR_X', 'm')).toBe(false);
    expect('cause' in new ResilienceError('ERR_X', 'm', {})).toBe(false);
  });

  it('keeps the name of a user subclass and its own instanceof', () => {
    class QuotaError extends ResilienceError {
      constructor() {
        super('ERR_QUOTA', 'quota');
      }
    }
    const error = new QuotaError();
    expect(error.name).toBe('QuotaError');
    expect(error).toBeInstanceOf(QuotaError);
    expect(error).toBeInstanceOf(ResilienceError);
    expect(new ResilienceError('ERR_QUOTA', 'x')).not.toBeInstanceOf(QuotaError);
    expect(new TimeoutError(1)).not.toBeInstanceOf(QuotaError);
  });
});

describe('TimeoutError', () => {
  it('has code ERR_TIMEOUT, its own name, a message naming the deadline and timeoutMs', () => {
    const error = new TimeoutError(250);
    expect(error.code).toBe('ERR_TIMEOUT');
    expect(error.name).toBe('TimeoutError');
    expect(error.message).toBe('Timed out after 250 ms');
    expect(error.timeoutMs).toBe(250);
    expect(error).toBeInstanceOf(ResilienceError);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(Error);
  });

  it('accepts a cause and a custom message', () => {
    const cause = new Error('socket');
    const error = new TimeoutError(5, { cause, message: 'slow' });
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('slow');
  });

  it('is not matched by a plain ResilienceError or an Error with the same code', () => {
    expect(new ResilienceError('ERR_X', 'x')).not.toBeInstanceOf(TimeoutError);
    expect(Object.assign(new Error('x'), { code: 'ERR_TIMEOUT' })).not.toBeInstanceOf(TimeoutError);
    expect(Object.assign(new Error('x'), { code: 'ERR_TIMEOUT' })).not.toBeInstanceOf(ResilienceError);
  });

  it('is matched when a ResilienceError carries the ERR_TIMEOUT code (guards match on brand and code)', () => {
    expect(new ResilienceError('ERR_TIMEOUT', 'x')).toBeInstanceOf(TimeoutError);
  });
});

describe('guards', () => {
  const notErrors: unknown[] = [undefined, null, 0, 'ERR_TIMEOUT', Symbol('x'), {}, { code: 'ERR_TIMEOUT' }, new Error('x'), () => {}];

  it('isResilienceError recognises crackstop errors only', () => {
    expect(isResilienceError(new ResilienceError('ERR_X', 'x'))).toBe(true);
    expect(isResilienceError(new TimeoutError(1))).toBe(true);
    for (const value of notErrors) expect(isResilienceError(value)).toBe(false);
  });

  it('isTimeoutError recognises timeout errors only', () => {
    expect(isTimeoutError(new TimeoutError(1))).toBe(true);
    expect(isTimeoutError(new ResilienceError('ERR_CIRCUIT_OPEN', 'x'))).toBe(false);
    for (const value of notErrors) expect(isTimeoutError(value)).toBe(false);
  });

  it('hasErrorCode matches the code of a crackstop error', () => {
    expect(hasErrorCode(new TimeoutError(1), 'ERR_TIMEOUT')).toBe(true);
    expect(hasErrorCode(new TimeoutError(1), 'ERR_CIRCUIT_OPEN')).toBe(false);
    expect(hasErrorCode(Object.assign(new Error('x'), { code: 'ERR_TIMEOUT' }), 'ERR_TIMEOUT')).toBe(false);
    for (const value of notErrors) expect(hasErrorCode(value, 'ERR_TIMEOUT')).toBe(false);
  });

  it('isRejection is true for every "refused to run" code and nothing else', () => {
    for (const code of rejectionCodes) expect(isRejection(new ResilienceError(code, 'refused')), code).toBe(true);
    expect(isRejection(new TimeoutError(1))).toBe(false);
    expect(isRejection(new ResilienceError('ERR_SOMETHING', 'x'))).toBe(false);
    expect(isRejection(Object.assign(new Error('x'), { code: 'ERR_CIRCUIT_OPEN' }))).toBe(false);
    for (const value of notErrors) expect(isRejection(value)).toBe(false);
  });
});

describe('errors through policies (failure mode 11)', () => {
  it('passes a frozen error through timeout, pipelines, retry and a caller signal unchanged, without a TypeError', async () => {
    const clock = new ManualClock();
    const frozen = Object.freeze(new Error('frozen'));
    const frozenValue = Object.freeze({ reason: 'not an Error at all' });
    const policies = [
      timeout({ ms: 100, clock }),
      pipeline(timeout({ ms: 100, clock }), timeout({ ms: 50, clock })),
      pipeline(retry({ maxAttempts: 1, clock }), timeout({ ms: 100, clock })),
    ];
    for (const policy of policies) {
      for (const thrown of [frozen, frozenValue]) {
        await expect(policy.execute(() => Promise.reject(thrown))).rejects.toBe(thrown);
        await expect(policy.execute(() => Promise.reject(thrown), { signal: new AbortController().signal })).rejects.toBe(thrown);
        await expect(
          policy.execute(() => {
            throw thrown;
          }),
        ).rejects.toBe(thrown);
      }
    }
    expect(Object.isFrozen(frozen)).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it('leaves a thrown error object untouched (same stack, no added fields)', async () => {
    const error = new Error('mine');
    const stack = error.stack;
    const keys = Reflect.ownKeys(error);
    await expect(timeout({ ms: 10, clock: new ManualClock() }).execute(() => Promise.reject(error))).rejects.toBe(error);
    expect(error.stack).toBe(stack);
    expect(Reflect.ownKeys(error)).toEqual(keys);
  });

  it('failure mode 12: 100 timeouts from one call site have stacks of identical length', async () => {
    const clock = new ManualClock();
    const policy = timeout({ ms: 10, clock });
    const errors: unknown[] = [];
    for (let i = 0; i < 100; i++) {
      const call = observe(policy.execute(() => hang()));
      await clock.advance(10);
      if (call.state.status === 'rejected') errors.push(call.state.reason);
    }
    expect(errors).toHaveLength(100);
    expect(new Set(errors).size).toBe(100);
    const lengths = new Set(errors.map((e) => (e as Error).stack?.length));
    expect(lengths.size).toBe(1);
    expect([...lengths][0]).toBeGreaterThan(0);
  });
});

describe('subclasses of TimeoutError', () => {
  it('keep their own name', () => {
    class SlowQueryError extends TimeoutError {}
    const error = new SlowQueryError(5);
    expect(error.name).toBe('SlowQueryError');
    expect(error).toBeInstanceOf(SlowQueryError);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(new TimeoutError(5)).not.toBeInstanceOf(SlowQueryError);
  });
});
