import { describe, expect, it } from 'vitest';
import { bulkhead, BulkheadRejectedError, isBulkheadRejectedError, isRejection, ResilienceError } from '../../src/index.js';

describe('BulkheadRejectedError', () => {
  it.each([
    ['full', 'Bulkhead full: 4 running and 8 waiting'],
    ['evicted', 'Bulkhead full: evicted from the wait queue (capacity 8) by a newer call'],
    ['max-wait', 'Bulkhead full: no permit within the maximum wait'],
    ['draining', 'Bulkhead draining: it takes no new work'],
  ] as const)('reason %s: code, name, fields, message, and a rejection', (reason, message) => {
    const error = new BulkheadRejectedError(reason, 4, 8);
    expect(error).toMatchObject({ code: 'ERR_BULKHEAD_FULL', name: 'BulkheadRejectedError', reason, limit: 4, queueCapacity: 8, message });
    expect(error).toBeInstanceOf(ResilienceError);
    expect(isRejection(error)).toBe(true);
    expect(isBulkheadRejectedError(error)).toBe(true);
  });

  it('instanceof recognises another copy of the library by its brand and code', () => {
    class OtherCopyError extends Error {
      readonly code = 'ERR_BULKHEAD_FULL';
    }
    Object.defineProperty(OtherCopyError.prototype, Symbol.for('crackstop.error'), { value: true });
    expect(new OtherCopyError('x')).toBeInstanceOf(BulkheadRejectedError);
    expect(new Error('x')).not.toBeInstanceOf(BulkheadRejectedError);
  });

  it('failure mode 12: 100 refusals are 100 errors whose stacks have identical length', async () => {
    const policy = bulkhead({ limit: 1 });
    void policy.execute(() => new Promise<never>(() => undefined));
    const errors: unknown[] = [];
    for (let i = 0; i < 100; i++) errors.push(await policy.execute(() => 'never').catch((e: unknown) => e));
    expect(new Set(errors).size).toBe(100);
    // From the second on: the first was built before the loop's first await, so its caller frames differ.
    expect(new Set(errors.slice(1).map((e) => (e as Error).stack?.length)).size).toBe(1);
  });
});
