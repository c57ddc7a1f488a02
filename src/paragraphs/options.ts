/**
 * Validation of the options shared by the paragraph-dedup family.
 * @internal
 */
import { assertInteger, assertOneOf, describe } from '../internal/validate';
import { PARAGRAPH_UNITS, type ParagraphUnit } from './units';

export const MAX_MIN_LENGTH = 0x7fffffff;

export function checkUnit(value: unknown): ParagraphUnit {
  assertOneOf('unit', value, PARAGRAPH_UNITS);
  return value;
}

export function checkMinLength(value: unknown): number {
  assertInteger('minLength', value, 0, MAX_MIN_LENGTH);
  return value;
}

/** `undefined` or a BCP 47 tag that `Intl` accepts. */
export function checkLocale(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new TypeError(`locale must be a BCP 47 language tag string or undefined, got ${describe(value)}`);
  try {
    Intl.getCanonicalLocales(value);
  } catch {
    throw new RangeError(`locale must be a valid BCP 47 language tag, got ${describe(value)}`);
  }
  return value;
}

/** A number in (0, 1]. */
export function checkThreshold(name: string, value: unknown): number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number in (0, 1], got ${describe(value)}`);
  if (!(value > 0 && value <= 1)) throw new RangeError(`${name} must be a number in (0, 1], got ${describe(value)}`);
  return value;
}

/** Throws a TypeError unless `value` is a plain options object (or undefined). */
export function checkObject(name: string, value: unknown): void {
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array)) {
    throw new TypeError(`${name} must be an options object or undefined, got ${describe(value)}`);
  }
}
