/**
 * The Node-only parts of crackstop: the only entry that imports `node:` modules. An
 * event-loop-delay pressure probe for the load shedder and health checks, health checks served
 * over `node:http`, and a graceful shutdown on signals that drains in-flight requests.
 *
 * @module crackstop/node
 */
export { eventLoopPressure, type EventLoopPressure, type EventLoopPressureOptions } from './node/event-loop-pressure.js';
export { healthHandler, type HealthHandlerOptions, type HealthPaths, type HealthRequestHandler } from './node/health-handler.js';
export {
  gracefulShutdown,
  type GracefulShutdownOptions,
  type ShutdownHandle,
  type ShutdownServer,
  type ShutdownSummary,
} from './node/graceful-shutdown.js';
