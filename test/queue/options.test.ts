import { describe, expect, it } from 'vitest';
import { boundedQueue, type BoundedQueueOptions } from '../../src/index.js';

const build = (options: unknown) => () => boundedQueue(options as BoundedQueueOptions<unknown>);

describe('boundedQueue › options (failure mode 37: bad numeric config)', () => {
  it.each([
    [NaN, RangeError, 'NaN (number)'],
    [-1, RangeError, '-1 (number)'],
    [0, RangeError, '0 (number)'],
    [0.5, RangeError, '0.5 (number)'],
    [Infinity, RangeError, 'Infinity (number)'],
    [2 ** 31, RangeError, '2147483648 (number)'],
    [2 ** 53, RangeError, '9007199254740992 (number)'],
    [undefined, TypeError, 'undefined'],
    ['5', TypeError, '"5" (string)'],
  ])('capacity %s throws %s naming the option and value', (capacity, Ctor, shown) => {
    expect(build({ capacity })).toThrow(Ctor);
    expect(build({ capacity })).toThrow(`boundedQueue(): \`capacity\` must be an integer >= 1 and <= 1073741824, got ${shown}`);
  });

  it('accepts capacities from 1 to 2^30', () => {
    expect(boundedQueue({ capacity: 1 }).capacity).toBe(1);
    expect(boundedQueue({ capacity: 2 ** 30 }).capacity).toBe(2 ** 30);
  });

  it.each([
    [NaN, RangeError],
    [-1, RangeError],
    [-Infinity, RangeError],
    ['5', TypeError],
  ])('maxWaitMs %s throws %s', (maxWaitMs, Ctor) => {
    expect(build({ capacity: 1, overflow: 'block', maxWaitMs })).toThrow(Ctor);
    expect(build({ capacity: 1, overflow: 'block', maxWaitMs })).toThrow('`maxWaitMs` must be a number >= 0 (or Infinity)');
  });

  it.each([0, 0.5, 2 ** 31, 2 ** 53, Infinity])('maxWaitMs %s is accepted with block', (maxWaitMs) => {
    expect(boundedQueue({ capacity: 1, overflow: 'block', maxWaitMs }).maxWaitMs).toBe(maxWaitMs);
  });

  it('maxWaitMs without block is a TypeError (it would be ignored)', () => {
    expect(build({ capacity: 1, maxWaitMs: 100 })).toThrow(TypeError);
    expect(build({ capacity: 1, overflow: 'drop-oldest', maxWaitMs: 100 })).toThrow("`maxWaitMs` applies only to `overflow: 'block'`");
  });

  it('overflow must be one of the four policies', () => {
    expect(build({ capacity: 1, overflow: 'drop' })).toThrow(RangeError);
    expect(build({ capacity: 1, overflow: 'drop' })).toThrow('`overflow` must be one of "reject", "drop-newest", "drop-oldest", "block", got "drop" (string)');
    expect(build({ capacity: 1, overflow: 1 })).toThrow(TypeError);
  });

  it('onDrop must be a function; name, clock and events are checked', () => {
    expect(build({ capacity: 1, onDrop: 'log' })).toThrow('`onDrop` must be a function');
    expect(build({ capacity: 1, name: '' })).toThrow('`name` must be a non-empty string');
    expect(build({ capacity: 1, clock: {} })).toThrow('`clock` must be an object with `now()`');
    expect(build({ capacity: 1, events: { on() {} } })).toThrow('`events` must be an object with');
  });

  it('an unknown option is a TypeError naming it', () => {
    expect(build({ capacity: 1, maxSize: 3 })).toThrow('boundedQueue(): unknown option `maxSize`');
    expect(build(null)).toThrow(TypeError);
    expect(build(undefined)).toThrow(TypeError);
  });
});
