import { describe, expect, it } from 'vitest';
import { healthCheck } from '../../src/index.js';

describe('healthCheck › validation at construction', () => {
  it.each([
    [{ timeoutMs: 0 }, RangeError, 'healthCheck(): `timeoutMs` must be a finite number > 0 and <= 9007199254740991, got 0 (number)'],
    [{ timeoutMs: Number.NaN }, RangeError, 'healthCheck(): `timeoutMs` must be a finite number > 0 and <= 9007199254740991, got NaN (number)'],
    [{ timeoutMs: Infinity }, RangeError, 'healthCheck(): `timeoutMs` must be a finite number > 0 and <= 9007199254740991, got Infinity (number)'],
    [{ timeoutMs: '500' }, TypeError, 'healthCheck(): `timeoutMs` must be a finite number > 0 and <= 9007199254740991, got "500" (string)'],
    [{ cacheMs: -1 }, RangeError, 'healthCheck(): `cacheMs` must be a finite number >= 0 and <= 9007199254740991, got -1 (number)'],
    [{ startup: 'auto' }, RangeError, 'healthCheck(): `startup` must be one of "manual", "checks", got "auto" (string)'],
    [{ pressure: 0.5 }, TypeError, 'healthCheck(): `pressure` must be a function, got 0.5 (number)'],
    [{ pressureFailAt: 1.5 }, RangeError, 'healthCheck(): `pressureFailAt` must be a finite number > 0 and <= 1, got 1.5 (number)'],
    [{ version: '' }, TypeError, 'healthCheck(): `version` must be a non-empty string, got "" (string)'],
    [{ serviceId: 7 }, TypeError, 'healthCheck(): `serviceId` must be a non-empty string, got 7 (number)'],
    [{ clock: {} }, TypeError, 'healthCheck(): `clock` must be an object with `now()`, `setTimeout()`, `clearTimeout()`, got an object'],
    [{ errorOutput: 'x' }, TypeError, 'healthCheck(): `errorOutput` must be a function, got "x" (string)'],
    [{ timeout: 500 }, TypeError, /^healthCheck\(\): unknown option `timeout`/],
    ['fast', TypeError, 'healthCheck(): options must be an object, got "fast" (string)'],
  ])('rejects %j', (options, Ctor, message) => {
    const build = () => healthCheck(options as never);
    expect(build).toThrow(Ctor);
    expect(build).toThrow(message);
  });

  it.each([
    ['', TypeError, 'healthCheck().add(): `name` must be a non-empty string, got "" (string)'],
    ['db:primary', RangeError, "healthCheck().add(): `name` must not contain ':' (entries are keyed name:measurement), got \"db:primary\" (string)"],
    ['lifecycle', RangeError, 'healthCheck().add(): `name` "lifecycle" is reserved (lifecycle, process)'],
    ['process', RangeError, 'healthCheck().add(): `name` "process" is reserved (lifecycle, process)'],
    [undefined, TypeError, 'healthCheck().add(): `name` must be a non-empty string, got undefined'],
  ])('add() rejects the name %j', (name, Ctor, message) => {
    const add = () => healthCheck().add(name as never, () => true);
    expect(add).toThrow(Ctor);
    expect(add).toThrow(message);
  });

  it('add() rejects a duplicate name, a missing check and bad options', () => {
    const health = healthCheck().add('db', () => true);
    expect(() => health.add('db', () => true)).toThrow(new RangeError('healthCheck().add(): a check named "db" is already registered'));
    expect(() => health.add('x', undefined as never)).toThrow(new TypeError('healthCheck().add(): `check` must be a function, got undefined'));
    expect(() => health.add('x', () => true, { critical: 'yes' } as never)).toThrow(new TypeError('healthCheck().add(): `critical` must be a boolean, got "yes" (string)'));
    expect(() => health.add('x', () => true, { timeoutMs: -5 })).toThrow(RangeError);
    expect(() => health.add('x', () => true, { cacheMs: Number.NaN })).toThrow(RangeError);
    expect(() => health.add('x', () => true, { measurement: 'a:b' })).toThrow(RangeError);
    expect(() => health.add('x', () => true, { componentId: 5 } as never)).toThrow(TypeError);
    expect(() => health.add('x', () => true, { whenOpen: 'fail' } as never)).toThrow(/unknown option `whenOpen`/);
    // Nothing half-registered: 'x' is still free.
    expect(() => health.add('x', () => true)).not.toThrow();
  });

  it('component registrations check the object and their own options', () => {
    const health = healthCheck();
    expect(() => health.addBreaker('b', {} as never)).toThrow(new TypeError('healthCheck().addBreaker(): `breaker` must be an object with `state`, got object'));
    expect(() => health.addBulkhead('p', { active: 1 } as never)).toThrow(
      new TypeError('healthCheck().addBulkhead(): `bulkhead` must be an object with `active`, `queued`, `limit`, got object'),
    );
    expect(() => health.addShedder('s', { pressure: () => 0 } as never)).toThrow(
      new TypeError('healthCheck().addShedder(): `shedder` must be an object with `pressure()`, `isOverloaded()`, got object'),
    );
    expect(() => health.addBreaker('b', { state: 'closed' }, { whenOpen: 'down' } as never)).toThrow(RangeError);
    expect(() => health.addBulkhead('p', { active: 0, queued: 0, limit: 1 }, { warnAt: 0 })).toThrow(RangeError);
    expect(() => health.addBulkhead('p', { active: 0, queued: 0, limit: 1 }, { timeoutMs: 5 } as never)).toThrow(/unknown option `timeoutMs`/);
    expect(() => health.addShedder('s', { pressure: () => 0, isOverloaded: () => false, drain: 'no' } as never)).toThrow(TypeError);
  });
});
