/**
 * Turning what a check function returned (or threw) into a status, an observed value and an
 * output: the return shapes documented on `CheckReturn`.
 *
 * @internal
 * @module
 */
import { describeValue } from '../core/validate.js';
import type { HealthStatus, ObservedValue } from './types.js';

/** What one run of a check found. `observedValue` undefined: use the response time. */
export interface Finding {
  readonly status: HealthStatus;
  readonly observedValue?: ObservedValue | undefined;
  readonly observedUnit?: string | undefined;
  readonly output?: string | undefined;
}

/** Outputs longer than this are cut, so that a report stays small whatever a check throws. */
const maxOutput = 500;

/** Cuts `text` to the report's maximum output length. */
export function clip(text: string): string {
  return text.length <= maxOutput ? text : `${text.slice(0, maxOutput - 1)}…`;
}

export const pass: Finding = { status: 'pass' };

function isStatus(value: unknown): value is HealthStatus {
  return value === 'pass' || value === 'warn' || value === 'fail';
}

function isObserved(value: unknown): value is ObservedValue {
  const type = typeof value;
  return value === null || type === 'string' || type === 'boolean' || (type === 'number' && Number.isFinite(value));
}

function invalid(what: string): Finding {
  return { status: 'fail', output: clip(`check returned ${what}; expected nothing, a boolean, 'pass' | 'warn' | 'fail', a finite number or { status, observedValue, observedUnit, output }`) };
}

/**
 * Interprets a check's return value. Never throws: a value that throws while it is read (a getter,
 * a revoked proxy) is a `fail` that says so, like any other value of the wrong shape.
 */
export function interpret(value: unknown): Finding {
  try {
    return interpretValue(value);
  } catch (error) {
    return invalid(`a value that threw when read (${safeDescription(error)})`);
  }
}

function interpretValue(value: unknown): Finding {
  if (value === undefined || value === true) return pass;
  if (value === false) return { status: 'fail', output: 'check returned false' };
  if (isStatus(value)) return value === 'pass' ? pass : { status: value, output: `check returned '${value}'` };
  if (typeof value === 'number') return Number.isFinite(value) ? { status: 'pass', observedValue: value } : invalid(describeValue(value));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return invalid(describeValue(value));
  const result = value as Readonly<Record<string, unknown>>;
  for (const key of Object.keys(result)) {
    if (key !== 'status' && key !== 'observedValue' && key !== 'observedUnit' && key !== 'output') {
      return invalid(`an object with an unknown field \`${key}\``);
    }
  }
  const status = result['status'] ?? 'pass';
  if (!isStatus(status)) return invalid(`status ${describeValue(status)}`);
  const observedValue = result['observedValue'];
  if (observedValue !== undefined && !isObserved(observedValue)) return invalid(`observedValue ${describeValue(observedValue)}`);
  const observedUnit = result['observedUnit'];
  if (observedUnit !== undefined && typeof observedUnit !== 'string') return invalid(`observedUnit ${describeValue(observedUnit)}`);
  const output = result['output'];
  if (output !== undefined && typeof output !== 'string') return invalid(`output ${describeValue(output)}`);
  return {
    status,
    observedValue,
    observedUnit,
    output: output === undefined ? (status === 'pass' ? undefined : `check returned '${status}'`) : clip(output),
  };
}

/** The default description of a check's error: its name and message (no stack, no cause). */
export function defaultErrorOutput(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return typeof error === 'string' ? error : `threw ${describeValue(error)}`;
}

/** `defaultErrorOutput(error)`, or a fixed text when even that throws (an error with a throwing `message` getter). */
export function safeDescription(error: unknown): string {
  try {
    return defaultErrorOutput(error);
  } catch {
    return 'an error that cannot be described';
  }
}

/** A finding for a check that threw, described by `describe` (which must not throw; if it does, a fixed text is used). */
export function thrown(error: unknown, describe: (error: unknown) => string): Finding {
  let output: string;
  try {
    output = String(describe(error));
  } catch {
    output = 'check failed (and describing its error threw)';
  }
  return { status: 'fail', output: clip(output) };
}
