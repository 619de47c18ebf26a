import { describe, expect, it } from 'vitest';
import { isQueueClosedError, isQueueFullError, isRejection, QueueClosedError, QueueFullError, ResilienceError } from '../../src/index.js';

/** An error as another copy of crackstop (ESM next to CJS) would build it: same brand, other class. */
function foreign(code: string): Error {
  class OtherCopyError extends Error {
    readonly code = code;
  }
  Object.defineProperty(OtherCopyError.prototype, Symbol.for('crackstop.error'), { value: true });
  return new OtherCopyError('from another copy');
}

describe('queue errors', () => {
  it('QueueFullError: code, name, message, capacity, cause, and a rejection', () => {
    const cause = new Error('why');
    const error = new QueueFullError(12, { cause });
    expect(error).toMatchObject({ code: 'ERR_QUEUE_FULL', name: 'QueueFullError', message: 'Queue full (capacity 12)', capacity: 12, cause });
    expect(error).toBeInstanceOf(ResilienceError);
    expect(error).toBeInstanceOf(Error);
    expect(isRejection(error)).toBe(true);
    expect(new QueueFullError(1, { message: 'custom' }).message).toBe('custom');
  });

  it('QueueClosedError: code, name, message, and a rejection', () => {
    const error = new QueueClosedError();
    expect(error).toMatchObject({ code: 'ERR_QUEUE_CLOSED', name: 'QueueClosedError', message: 'Queue closed' });
    expect(isRejection(error)).toBe(true);
    expect(isQueueFullError(error)).toBe(false);
  });

  it('guards and instanceof recognise errors from another copy of the library, by code', () => {
    expect(isQueueFullError(foreign('ERR_QUEUE_FULL'))).toBe(true);
    expect(foreign('ERR_QUEUE_FULL')).toBeInstanceOf(QueueFullError);
    expect(foreign('ERR_QUEUE_CLOSED')).toBeInstanceOf(QueueClosedError);
    expect(isQueueClosedError(foreign('ERR_QUEUE_FULL'))).toBe(false);
    expect(foreign('ERR_QUEUE_FULL')).not.toBeInstanceOf(QueueClosedError);
    expect(new Error('plain')).not.toBeInstanceOf(QueueFullError);
    expect(isQueueFullError({ code: 'ERR_QUEUE_FULL' })).toBe(false);
  });
});
