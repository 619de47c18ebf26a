/**
 * The window a configuration asks for.
 *
 * @internal
 * @module
 */
import type { WindowConfig } from '../config.js';
import type { CallWindow } from './call-window.js';
import { ConsecutiveWindow } from './consecutive-window.js';
import { CountWindow } from './count-window.js';
import { TimeWindow } from './time-window.js';

/** A fresh, empty window of the configured kind. */
export function createWindow(config: WindowConfig): CallWindow {
  switch (config.kind) {
    case 'consecutive':
      return new ConsecutiveWindow(config);
    case 'count':
      return new CountWindow(config);
    default:
      return new TimeWindow(config);
  }
}
