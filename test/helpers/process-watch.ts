import { getEventListeners } from 'node:events';

/** Collects `unhandledRejection` reasons and process warnings until `stop()`. */
export interface ProcessWatch {
  readonly unhandled: unknown[];
  readonly warnings: Error[];
  stop(): void;
}

/**
 * `quiet`: while watching, Node's own printing of warnings (its default `warning` listener) is held
 * back, for negative controls that raise a warning on purpose; the warnings are still collected.
 */
export function watchProcess(options?: { readonly quiet?: boolean }): ProcessWatch {
  const silenced = options?.quiet === true ? process.listeners('warning') : [];
  for (const listener of silenced) process.off('warning', listener);
  const unhandled: unknown[] = [];
  const warnings: Error[] = [];
  const onRejection = (reason: unknown): void => {
    unhandled.push(reason);
  };
  const onWarning = (warning: Error): void => {
    warnings.push(warning);
  };
  process.on('unhandledRejection', onRejection);
  process.on('warning', onWarning);
  return {
    unhandled,
    warnings,
    stop() {
      process.off('unhandledRejection', onRejection);
      process.off('warning', onWarning);
      for (const listener of silenced) process.on('warning', listener);
    },
  };
}

/** How many `abort` listeners `signal` has. */
export function abortListeners(signal: AbortSignal): number {
  return getEventListeners(signal, 'abort').length;
}

/** Counts `AbortController` constructions and `abort()` calls while installed. */
export interface ControllerCount {
  readonly created: number;
  readonly aborted: number;
  restore(): void;
}

export function countAbortControllers(): ControllerCount {
  const Original = globalThis.AbortController;
  const count = { created: 0, aborted: 0 };
  class CountingAbortController extends Original {
    constructor() {
      super();
      count.created++;
    }

    override abort(reason?: unknown): void {
      count.aborted++;
      super.abort(reason);
    }
  }
  globalThis.AbortController = CountingAbortController;
  return {
    get created() {
      return count.created;
    },
    get aborted() {
      return count.aborted;
    },
    restore() {
      globalThis.AbortController = Original;
    },
  };
}
