import { describe, expect, it } from 'vitest';
import { bulkhead, type BulkheadOptions } from '../../src/index.js';

const build = (options: unknown) => () => bulkhead(options as BulkheadOptions);

describe('bulkhead › options (failure mode 37: bad numeric config)', () => {
  it.each([
    [NaN, RangeError, 'NaN (number)'],
    [-1, RangeError, '-1 (number)'],
    [0, RangeError, '0 (number)'],
    [0.5, RangeError, '0.5 (number)'],
    [Infinity, RangeError, 'Infinity (number)'],
    [2 ** 53, RangeError, '9007199254740992 (number)'],
    [undefined, TypeError, 'undefined'],
    ['5', TypeError, '"5" (string)'],
  ])('limit %s throws %s naming the option and value', (limit, Ctor, shown) => {
    expect(build({ limit })).toThrow(Ctor);
    expect(build({ limit })).toThrow(`bulkhead(): \`limit\` must be an integer >= 1 and <= 9007199254740991, got ${shown}`);
  });

  it('accepts 2^31 as a limit', () => {
    expect(bulkhead({ limit: 2 ** 31 }).limit).toBe(2 ** 31);
  });

  it.each([
    [NaN, RangeError],
    [-1, RangeError],
    [0.5, RangeError],
    [Infinity, RangeError],
    [2 ** 53, RangeError],
    ['5', TypeError],
  ])('queue.capacity %s throws %s', (capacity, Ctor) => {
    expect(build({ limit: 1, queue: { capacity } })).toThrow(Ctor);
    expect(build({ limit: 1, queue: { capacity } })).toThrow('bulkhead(): `queue.capacity` must be an integer >= 0');
  });

  it.each([0, 1, 2 ** 31])('queue.capacity %s is accepted', (capacity) => {
    expect(bulkhead({ limit: 1, queue: { capacity } }).queueCapacity).toBe(capacity);
  });

  it.each([
    [NaN, RangeError],
    [-1, RangeError],
    [-Infinity, RangeError],
    ['5', TypeError],
  ])('queue.maxWaitMs %s throws %s', (maxWaitMs, Ctor) => {
    expect(build({ limit: 1, queue: { capacity: 1, maxWaitMs } })).toThrow(Ctor);
    expect(build({ limit: 1, queue: { capacity: 1, maxWaitMs } })).toThrow('`queue.maxWaitMs` must be a number >= 0 (or Infinity)');
  });

  it.each([0, 0.5, 2 ** 31, 2 ** 53, Infinity])('queue.maxWaitMs %s is accepted', (maxWaitMs) => {
    expect(bulkhead({ limit: 1, queue: { capacity: 1, maxWaitMs } }).maxWaitMs).toBe(maxWaitMs);
  });

  it('queue.overflow must be reject-new or drop-oldest', () => {
    expect(build({ limit: 1, queue: { capacity: 1, overflow: 'drop-newest' } })).toThrow(RangeError);
    expect(build({ limit: 1, queue: { capacity: 1, overflow: 'drop-newest' } })).toThrow('`queue.overflow` must be one of "reject-new", "drop-oldest", got "drop-newest" (string)');
  });

  it('queue options that need a wait queue are refused when its capacity is 0 (they would be ignored)', () => {
    expect(build({ limit: 1, queue: { maxWaitMs: 100 } })).toThrow('bulkhead(): `queue.maxWaitMs` needs a wait queue, but `queue.capacity` is 0, got 100 (number)');
    expect(build({ limit: 1, queue: { capacity: 0, overflow: 'drop-oldest' } })).toThrow(TypeError);
  });

  it('unknown options are TypeErrors naming them, at both levels', () => {
    expect(build({ limit: 1, concurrency: 2 })).toThrow('bulkhead(): unknown option `concurrency`');
    expect(build({ limit: 1, queue: { size: 2 } })).toThrow('bulkhead() `queue`: unknown option `size`');
    expect(build({ limit: 1, queue: 5 })).toThrow(TypeError);
    expect(build(undefined)).toThrow(TypeError);
  });

  it('name, clock and events are checked', () => {
    expect(build({ limit: 1, name: 3 })).toThrow('`name` must be a non-empty string');
    expect(build({ limit: 1, clock: { now() {} } })).toThrow('`clock` must be an object with');
    expect(build({ limit: 1, events: {} })).toThrow('`events` must be an object with');
  });
});
