/**
 * crackstop: timeouts, retries with jitter and budgets, circuit breakers, bulkheads, bounded
 * queues with back-pressure, load shedding, health checks with drain, and composition, on one
 * pluggable clock and one typed event stream, with zero runtime dependencies.
 *
 * @module crackstop
 */
export type { AttemptContext, ExecuteOptions, Policy, Task } from './core/policy.js';
export type { CommonOptions } from './core/policy-core.js';
export { pipeline } from './core/pipeline.js';
export { hasErrorCode, isRejection, isResilienceError, ResilienceError, type ResilienceErrorOptions } from './core/errors.js';

export type { Clock, TimerHandle } from './clock/clock.js';
export { createSystemClock, systemClock, type SystemClockOptions } from './clock/system-clock.js';
export { sleep, type SleepOptions } from './clock/sleep.js';
export { systemRandom } from './clock/random.js';

export { createEventHub, type EventHub, type EventHubOptions, type EventListener } from './events/event-hub.js';
export type { EventBase, ResilienceEvent, ResilienceEventMap, ResilienceEventType } from './events/types.js';

export { timeout, type TimeoutOptions, type TimeoutPolicy } from './timeout/timeout.js';
export { isTimeoutError, TimeoutError } from './timeout/timeout-error.js';
export type { TimeoutEvent, TimeoutLateEvent } from './timeout/events.js';

export { retry, type RetryOptions, type RetryPolicy } from './retry/retry.js';
export type { RetryOutcome } from './retry/outcome.js';
export type { RetryEvent, RetryGiveUpEvent, RetryGiveUpReason } from './retry/events.js';
export {
  constantBackoff,
  exponentialBackoff,
  linearBackoff,
  type Backoff,
  type ConstantBackoffOptions,
  type ExponentialBackoffOptions,
  type Jitter,
  type LinearBackoffOptions,
} from './retry/backoff.js';
export { retryBudget, type RetryBudget, type RetryBudgetOptions } from './retry/budget.js';

export { healthCheck } from './health/health-check.js';
export type { Health, LifecycleState } from './health/health.js';
export type {
  AddCheckOptions,
  BreakerCheckOptions,
  BulkheadCheckOptions,
  ComponentCheckOptions,
  HealthCheckOptions,
  ShedderCheckOptions,
} from './health/options.js';
export type { DrainOptions, DrainSummary } from './health/drain.js';
export type { BreakerLike, BulkheadLike, Drainable, ShedderLike } from './health/components.js';
export type {
  CheckContext,
  CheckResult,
  CheckReturn,
  HealthCheckEntry,
  HealthCheckFunction,
  HealthReport,
  HealthStatus,
  ObservedValue,
} from './health/types.js';
export type { HealthChangedEvent, HealthDrainEvent } from './health/events.js';

export { circuitBreaker, type CircuitBreakerPolicy } from './circuit-breaker/circuit-breaker.js';
export type {
  CircuitBreakerOptions,
  CircuitOutcome,
  CircuitState,
  ConsecutiveWindowOptions,
  CountWindowOptions,
  HalfOpenOptions,
  TimeWindowOptions,
  WindowOptions,
} from './circuit-breaker/options.js';
export type { CircuitIsolation } from './circuit-breaker/state-machine.js';
export type { CircuitMetrics } from './circuit-breaker/metrics.js';
export type { CircuitSnapshot, CircuitWindowSnapshot } from './circuit-breaker/snapshot.js';
export {
  CircuitOpenError,
  IsolatedCircuitError,
  isCircuitOpenError,
  isIsolatedCircuitError,
} from './circuit-breaker/circuit-open-error.js';
export type {
  CircuitFailureEvent,
  CircuitIgnoredEvent,
  CircuitIgnoredReason,
  CircuitRejectedEvent,
  CircuitStateEvent,
  CircuitSuccessEvent,
  CircuitTransitionReason,
} from './circuit-breaker/events.js';
export { loadShedder } from './shed/load-shedder.js';
export type { LoadShedder, ShedExecuteOptions, ShedSnapshot } from './shed/types.js';
export type { LatencyTarget, LoadShedderOptions, ShedThresholds } from './shed/options.js';
export type { ShedPermit } from './shed/permit.js';
export type { ShedPriority, ShedReason } from './shed/priority.js';
export { isLoadShedError, LoadShedError, type LoadShedDetails } from './shed/shed-error.js';
export type { ShedEvent, ShedPressureErrorEvent } from './shed/events.js';

export {
  bulkhead,
  type BulkheadOptions,
  type BulkheadOverflow,
  type BulkheadPolicy,
  type BulkheadQueueOptions,
} from './bulkhead/bulkhead.js';
export { BulkheadRejectedError, isBulkheadRejectedError, type BulkheadRejectReason } from './bulkhead/bulkhead-rejected-error.js';
export type { BulkheadRejectedEvent } from './bulkhead/events.js';

export { boundedQueue, type BoundedQueue, type BoundedQueueOptions, type QueueOverflow, type QueueWaitOptions } from './queue/bounded-queue.js';
export { isQueueFullError, QueueFullError } from './queue/queue-full-error.js';
export { isQueueClosedError, QueueClosedError } from './queue/queue-closed-error.js';
export type { QueueDropReason, QueueDroppedEvent, QueueRejectReason, QueueRejectedEvent } from './queue/events.js';
