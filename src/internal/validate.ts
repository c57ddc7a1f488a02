/**
 * The options-and-errors contract of every public entry point. Checks run once, at the boundary (a
 * constructor, or the top of a free function); inner kernels never re-check.
 *
 * Every message reads the same way, `<function>: <option path> must be <what is allowed>, got <value>`:
 *
 *     dedupe: options.shingle.size must be an integer from 1 to 64, got 0
 *     LshIndex.insert: id must be a string or a finite number, got null
 *
 * and an unknown option key names the closest valid one:
 *
 *     dedupe: unknown option "treshold" (did you mean "threshold"?)
 *
 * `TypeError` when a value has the wrong type (or a key is unknown), `RangeError` when a value of the right
 * type is outside what is allowed (including a value not allowed in the current state, such as an id that is
 * already present). Ranges are written as a person writes them, never as `[5e-324, 1]`.
 * Internal module, not public API.
 */

/** Renders a received value for an error message without throwing on odd inputs. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return `a Uint8Array of ${value.length} bytes`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** Throws `Err` with the one message format: `${name} must be ${allowed}, got ${describe(value)}`. */
export function fail(Err: typeof TypeError | typeof RangeError, name: string, allowed: string, value: unknown): never {
  throw new Err(`${name} must be ${allowed}, got ${describe(value)}`);
}

/** `1 to 64`, or `at least 1` when there is no practical upper bound. */
function span(min: number, max: number): string {
  return max >= Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
}

/** "an integer from 1 to 64", "an integer of at least 0". */
export function integerRange(min: number, max: number): string {
  return `an integer ${span(min, max)}`;
}

/**
 * "a number from 0 to 1", "a number greater than 0 and at most 1", "a number of at least 0".
 * `minExclusive` makes the lower bound strict (a rate or threshold that must be positive).
 */
export function numberRange(min: number, max: number, minExclusive = false): string {
  if (!minExclusive) return max === Infinity ? `a number of at least ${min}` : `a number from ${min} to ${max}`;
  return max === Infinity ? `a number greater than ${min}` : `a number greater than ${min} and at most ${max}`;
}

/** Throws a `TypeError` unless `value` is a string. */
export function assertString(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string') fail(TypeError, name, 'a string', value);
}

/** Throws unless `value` is an integer in `[min, max]` (`TypeError` for non-numbers, `RangeError` otherwise). */
export function assertInteger(name: string, value: unknown, min: number, max: number): asserts value is number {
  if (typeof value !== 'number') fail(TypeError, name, integerRange(min, max), value);
  if (!Number.isInteger(value) || value < min || value > max) fail(RangeError, name, integerRange(min, max), value);
}

/** Throws unless `value` is a number in `[min, max]`, or `(min, max]` when `minExclusive`. NaN is out of range. */
export function assertNumber(name: string, value: unknown, min: number, max: number, minExclusive = false): asserts value is number {
  if (typeof value !== 'number') fail(TypeError, name, numberRange(min, max, minExclusive), value);
  const above = minExclusive ? value > min : value >= min;
  if (!(above && value <= max)) fail(RangeError, name, numberRange(min, max, minExclusive), value);
}

/** Throws unless `value` is a boolean. */
export function assertBoolean(name: string, value: unknown): asserts value is boolean {
  if (typeof value !== 'boolean') fail(TypeError, name, 'a boolean', value);
}

/** Throws unless `value` is one of `allowed` (`TypeError` for a non-string, `RangeError` for another string). */
export function assertOneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): asserts value is T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    const list = allowed.map((a) => JSON.stringify(a));
    const what = list.length === 1 ? list[0]! : `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]!}`;
    fail(typeof value === 'string' ? RangeError : TypeError, name, what, value);
  }
}

/** Throws unless `value` is a string or a finite number: the one document id type, `DocId`. */
export function assertId(name: string, value: unknown): asserts value is string | number {
  if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
    fail(TypeError, name, 'a string or a finite number', value);
  }
}

const localeCache = new Set<string>();
/**
 * Throws unless `value` is a string that `Intl.Segmenter` accepts as a BCP 47 language tag
 * (`TypeError` for a non-string, `RangeError` for a malformed tag). Checked tags are remembered.
 */
export function assertLocale(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string') fail(TypeError, name, 'a BCP 47 language tag such as "en"', value);
  if (localeCache.has(value)) return;
  try {
    Intl.Segmenter.supportedLocalesOf(value);
  } catch {
    fail(RangeError, name, 'a valid BCP 47 language tag such as "en"', value);
  }
  if (value === '') fail(RangeError, name, 'a valid BCP 47 language tag such as "en"', value);
  localeCache.add(value);
}

/**
 * Edit distance with adjacent transpositions (optimal string alignment), case-insensitive: the measure
 * behind "did you mean". Keys are short, so the plain table is enough.
 */
export function keyDistance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const m = a.length;
  const n = b.length;
  const d: number[][] = [];
  for (let i = 0; i <= m; i++) d.push(Array.from({ length: n + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[m]![n]!;
}

/**
 * The allowed key closest to `key`, when it is close enough to be a misspelling (at most a third of the
 * longer name's letters differ, and at least one edit is always tolerated) or the key starts with it
 * (`c4Quality` for `c4`); `undefined` otherwise.
 */
export function closestKey(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const distance = keyDistance(key, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best !== undefined && bestDistance <= Math.max(1, Math.floor(Math.max(key.length, best.length) / 3))) return best;
  const lower = key.toLowerCase();
  return allowed.find((candidate) => candidate.length >= 2 && lower.startsWith(candidate.toLowerCase()));
}

/** Throws a `TypeError` unless `options` is undefined or a plain object (keys unchecked: see {@link assertOptions}). */
export function assertOptionsObject(name: string, options: unknown): asserts options is Record<string, unknown> | undefined {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options) || ArrayBuffer.isView(options)) {
    fail(TypeError, name, 'an options object or undefined', options);
  }
}

/**
 * Checks an options argument at the boundary: `undefined`, or a plain object whose own keys are all in
 * `allowed`. `path` is where the object sits (`'options'`, `'options.shingle'`); a nested object's keys are
 * reported with their path below `options` (`unknown option "shingle.sise" (did you mean "shingle.size"?)`).
 * @throws TypeError if `options` is not an object, or has a key not in `allowed`
 */
export function assertOptions(
  fn: string,
  path: string,
  options: unknown,
  allowed: readonly string[],
): void {
  if (options === undefined) return;
  assertOptionsObject(`${fn}: ${path}`, options);
  for (const key in options) {
    if (!Object.prototype.hasOwnProperty.call(options, key) || allowed.includes(key)) continue;
    const prefix = path === 'options' ? '' : `${path.replace(/^options\./, '')}.`;
    const near = closestKey(key, allowed);
    const hint = near !== undefined
      ? `did you mean "${prefix}${near}"?`
      : `allowed: ${allowed.length === 0 ? 'none' : allowed.map((k) => prefix + k).join(', ')}`;
    throw new TypeError(`${fn}: unknown option "${prefix}${key}" (${hint})`);
  }
}
