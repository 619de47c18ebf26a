/**
 * Node-only parts of crackstop (the only entry that imports `node:` modules): an
 * event-loop-delay pressure probe for the load shedder.
 *
 * @module crackstop/node
 */
export { eventLoopPressure, type EventLoopPressure, type EventLoopPressureOptions } from './node/event-loop-pressure.js';
