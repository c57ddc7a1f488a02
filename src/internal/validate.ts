/**
 * Validation at the API boundary. Every message names the option, the allowed range and the value
 * received, so a caller can fix the call without reading the source. Inner kernels never re-check.
 * Internal module, not public API.
 */

/** Renders a received value for an error message without throwing on odd inputs. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return `a Uint8Array of ${value.length} bytes`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** Throws a `TypeError` unless `value` is a string. */
export function assertString(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string, got ${describe(value)}`);
}

/** Throws unless `value` is an integer in `[min, max]` (`TypeError` for non-numbers, `RangeError` otherwise). */
export function assertInteger(name: string, value: unknown, min: number, max: number): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be an integer in [${min}, ${max}], got ${describe(value)}`);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${describe(value)}`);
  }
}

/** Throws unless `value` is a finite number in `[min, max]`. */
export function assertNumber(name: string, value: unknown, min: number, max: number): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number in [${min}, ${max}], got ${describe(value)}`);
  if (!(value >= min && value <= max)) throw new RangeError(`${name} must be a number in [${min}, ${max}], got ${describe(value)}`);
}

/** Throws unless `value` is a boolean. */
export function assertBoolean(name: string, value: unknown): asserts value is boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be a boolean, got ${describe(value)}`);
}

/** Throws unless `value` is one of `allowed`. */
export function assertOneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): asserts value is T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    const list = allowed.map((a) => JSON.stringify(a)).join(', ');
    throw new (typeof value === 'string' ? RangeError : TypeError)(`${name} must be one of ${list}, got ${describe(value)}`);
  }
}

/** Throws a `TypeError` unless `options` is undefined or a plain object. */
export function assertOptions(name: string, options: unknown): void {
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new TypeError(`${name} must be an options object or undefined, got ${describe(options)}`);
  }
}
