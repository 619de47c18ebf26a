import { describe, expect, it } from 'vitest';
import { circuitBreaker, exponentialBackoff, type CircuitBreakerOptions } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { fail } from './helpers.js';

const build = (options: unknown) => () => circuitBreaker(options as CircuitBreakerOptions);

describe('circuitBreaker() options', () => {
  it('has documented defaults: consecutive 5, openMs 10 s, one probe', async () => {
    const clock = new ManualClock();
    const breaker = circuitBreaker({ clock });
    expect(breaker.name).toBe('circuit-breaker');
    await fail(breaker, 4);
    expect(breaker.state).toBe('closed');
    await fail(breaker, 1);
    expect(breaker.state).toBe('open');
    expect(breaker.metrics().retryAfterMs).toBe(10_000);
    await clock.advance(10_000);
    expect(breaker.state).toBe('half-open');
  });

  it('rejects unknown keys at every level, naming them', () => {
    expect(build({ windw: {} })).toThrow(/unknown option `windw`/);
    expect(build({ window: { kind: 'count', failures: 3 } })).toThrow(/unknown option `window.failures`/);
    expect(build({ window: { kind: 'consecutive', size: 3 } })).toThrow(/unknown option `window.size`/);
    expect(build({ halfOpen: { probes: 2 } })).toThrow(/unknown option `halfOpen.probes`/);
  });

  it('rejects a bad window kind or shape with a TypeError', () => {
    expect(build({ window: 'count' })).toThrow(TypeError);
    expect(build({ window: {} })).toThrow(/`window.kind` must be one of/);
    expect(build({ window: { kind: 'sliding' } })).toThrow(RangeError);
    expect(build({ window: { kind: 5 } })).toThrow(TypeError);
    expect(build({ halfOpen: null })).toThrow(/`halfOpen` must be an object, got null/);
    // null is an object to typeof: it must get the same message, not the engine's own.
    expect(build({ window: null })).toThrow(new TypeError('circuitBreaker(): `window` must be an object, got null'));
  });

  it('checks cross-field rules', () => {
    expect(build({ window: { kind: 'count', size: 10, minimumCalls: 11 } })).toThrow(/`window.minimumCalls` must be an integer >= 1 and <= 10, got 11/);
    expect(build({ window: { kind: 'time', durationMs: 5, buckets: 6 } })).toThrow(/`window.buckets`/);
    expect(build({ window: { kind: 'count', slowCallRate: 0.5 } })).toThrow(/needs `window.slowCallMs`/);
  });

  it('accepts openMs as a number or a backoff, and nothing else', () => {
    expect(build({ openMs: 0 })).not.toThrow();
    expect(build({ openMs: exponentialBackoff() })).not.toThrow();
    expect(build({ openMs: '5' })).toThrow(/`openMs` must be a finite number >= 0 or a backoff/);
    expect(build({ openMs: {} })).toThrow(TypeError);
    expect(build({ openMs: -1 })).toThrow(RangeError);
  });

  it('checks functions and the common options', () => {
    expect(build({ isFailure: true })).toThrow(/`isFailure` must be a function, got true \(boolean\)/);
    expect(build({ random: 1 })).toThrow(TypeError);
    expect(build({ clock: {} })).toThrow(/`clock`/);
    expect(build({ name: '' })).toThrow(/`name`/);
    expect(build([])).toThrow(TypeError);
  });

  it('takes plain JSON options (they can come from a config file)', async () => {
    const json = '{"window":{"kind":"count","size":4,"failureRate":0.5,"minimumCalls":4},"openMs":500,"halfOpen":{"maxProbes":2,"successesToClose":3,"probeTimeoutMs":100}}';
    const clock = new ManualClock();
    const breaker = circuitBreaker({ ...(JSON.parse(json) as CircuitBreakerOptions), clock });
    await fail(breaker, 4);
    expect(breaker.metrics().retryAfterMs).toBe(500);
  });

  // Failure mode 37 (bad numeric config): every numeric option either throws a typed error at
  // construction or is accepted as documented; never a hang, a hot loop or a NaN delay.
  describe('failure mode 37: bad numeric config', () => {
    const bad: readonly unknown[] = [NaN, -1, 0.5, Infinity, 2 ** 31, 2 ** 53, '5', 0];
    const numeric: ReadonlyArray<[string, (v: unknown) => unknown, (v: unknown) => boolean]> = [
      ['window.failures', (v) => ({ window: { kind: 'consecutive', failures: v } }), (v) => v === 2 ** 31],
      ['window.slowCallMs', (v) => ({ window: { kind: 'consecutive', slowCallMs: v } }), (v) => v === 0 || v === 0.5 || v === 2 ** 31],
      ['window.size', (v) => ({ window: { kind: 'count', size: v } }), () => false],
      ['window.failureRate', (v) => ({ window: { kind: 'count', failureRate: v } }), (v) => v === 0.5],
      ['window.minimumCalls', (v) => ({ window: { kind: 'count', size: 100, minimumCalls: v } }), () => false],
      ['window.durationMs', (v) => ({ window: { kind: 'time', durationMs: v, buckets: 1 } }), (v) => v === 2 ** 31],
      ['window.buckets', (v) => ({ window: { kind: 'time', durationMs: 60_000, buckets: v } }), () => false],
      ['window.slowCallRate', (v) => ({ window: { kind: 'time', slowCallMs: 10, slowCallRate: v } }), (v) => v === 0.5],
      ['openMs', (v) => ({ openMs: v }), (v) => v === 0 || v === 0.5 || v === 2 ** 31],
      ['halfOpen.maxProbes', (v) => ({ halfOpen: { maxProbes: v } }), (v) => v === 2 ** 31],
      ['halfOpen.successesToClose', (v) => ({ halfOpen: { successesToClose: v } }), (v) => v === 2 ** 31],
      ['halfOpen.probeTimeoutMs', (v) => ({ halfOpen: { probeTimeoutMs: v } }), (v) => v === 0.5 || v === 2 ** 31],
    ];
    for (const [option, options, accepted] of numeric) {
      it(`${option}: NaN, -1, 0, 0.5, Infinity, 2^31, 2^53 and "5" throw a typed error naming it, or are valid`, () => {
        for (const value of bad) {
          if (accepted(value)) {
            expect(build(options(value)), `${option} = ${String(value)}`).not.toThrow();
            continue;
          }
          let thrown: unknown;
          try {
            circuitBreaker(options(value) as CircuitBreakerOptions);
          } catch (error) {
            thrown = error;
          }
          expect(thrown, `${option} = ${String(value)}`).toBeInstanceOf(typeof value === 'number' ? RangeError : TypeError);
          expect((thrown as Error).message).toContain(`\`${option}\``);
        }
        expect(build(options(undefined))).not.toThrow();
      });
    }
  });
});
