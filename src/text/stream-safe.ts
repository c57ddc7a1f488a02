/**
 * UAX #15's Stream-Safe Text Process: bounds every run of non-starters (characters of nonzero canonical
 * combining class) to 30 by inserting U+034F COMBINING GRAPHEME JOINER, so that Unicode normalization runs in
 * linear time.
 *
 * Why: canonical reordering sorts each run of non-starters, and the runtime's `String.prototype.normalize`
 * does it by insertion, in time quadratic in the run (`'a' + '\u0301\u0316'.repeat(n)` takes seconds at
 * n = 32K). CGJ is a starter (combining class 0) that changes no composition and no display, so the
 * normalization of each bounded run is independent and costs at most 30² steps.
 *
 * Non-starters are identified without a table of combining classes: the canonical decomposition of a
 * character never changes its class, and canonical reordering puts any character of class 1–239 before
 * U+0345 (class 240, the largest; no other character has it), so a fully decomposed `x` is a non-starter
 * exactly when `'\u0345' + x` is not in NFD (or `x` is U+0345). What each code point contributes is decided on
 * first sight and kept in one lazily created byte table per plane (nothing runs at import time). The tests
 * compare every code point with an independent oracle.
 * Internal module, not public API.
 */

/** U+034F COMBINING GRAPHEME JOINER, the character UAX #15 inserts. */
const CGJ = '\u034f';
/** UAX #15's bound on consecutive non-starters. */
const MAX_NON_STARTERS = 30;

// One byte per code point, 0 until decided. Otherwise 1 + (lead | trail << 2 | all << 4), where lead and trail
// count the initial and final non-starters of the NFKD decomposition (at most 3 in Unicode 17; 0xff marks a
// code point whose counts do not fit, computed each time) and `all` says that it has no starter (then lead =
// trail = its length).
const planes: (Uint8Array | undefined)[] = [];
/** The code of a code point whose decomposition ends with a starter: resets the count (most characters). */
const STARTER = 1;

const isNonStarterDecomposed = (x: string): boolean => {
  if (x === '\u0345') return true;
  const probe = `\u0345${x}`;
  return probe.normalize('NFD') !== probe;
};

/** Decides the code of `cp` (see `planes`); 0xff when a count does not fit in 2 bits (none in Unicode 17). */
function decide(cp: number): number {
  const [lead, trail, all] = slowCounts(cp);
  if (lead > 3 || trail > 3) return 0xff;
  return 1 + (lead | (trail << 2) | (all ? 16 : 0));
}

/**
 * How `cp` counts in the Stream-Safe process, as `[initial non-starters, final non-starters, has no starter]`
 * of its NFKD decomposition.
 * @internal
 */
export function nonStarterCounts(cp: number): [lead: number, trail: number, all: boolean] {
  const code = codeOf(cp);
  if (code === 0xff) return slowCounts(cp);
  const v = code - 1;
  return [v & 3, (v >> 2) & 3, (v & 16) !== 0];
}

/** The counts of `cp` computed from its decomposition, one normalization per character. */
function slowCounts(cp: number): [number, number, boolean] {
  const flags = [...String.fromCodePoint(cp).normalize('NFKD')].map(isNonStarterDecomposed);
  let lead = 0;
  while (lead < flags.length && flags[lead]) lead++;
  let trail = 0;
  while (trail < flags.length && flags[flags.length - 1 - trail]) trail++;
  return [lead, trail, lead === flags.length && lead > 0];
}

/** The byte table of plane `p`, created on first use. */
function planeTable(p: number): Uint8Array {
  let t = planes[p];
  if (t === undefined) {
    t = new Uint8Array(0x10000);
    if (p === 0) t.fill(STARTER, 0, 0xa0); // ASCII and C1 controls: starters with no decomposition
    planes[p] = t;
  }
  return t;
}

function codeOf(cp: number): number {
  const t = planeTable(cp >> 16);
  const i = cp & 0xffff;
  let code = t[i]!;
  if (code === 0) t[i] = code = decide(cp);
  return code;
}

/**
 * `s` in Stream-Safe Text Format (UAX #15, section 13): a CGJ (U+034F) is inserted before any code point
 * whose decomposition would make more than 30 consecutive non-starters (counted in the NFKD decomposition).
 * Returns `s` itself, unchanged, when no run is that long: then normalizing the result is normalizing `s`.
 * Lone surrogates count as starters. Linear time.
 * @internal
 */
export function streamSafe(s: string): string {
  const n = s.length;
  const bmp = planeTable(0);
  let count = 0; // consecutive non-starters so far
  let out = '';
  let from = 0; // s[from…] not yet copied to out
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    let cp = c;
    let w = 1;
    let code: number;
    if (c < 0xd800 || c > 0xdbff || i + 1 === n) {
      code = bmp[c]!; // the common case: one table read (a lone surrogate has the code of a starter)
      if (code === 0) bmp[c] = code = decide(c);
    } else {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        w = 2;
      }
      code = codeOf(cp);
    }
    if (((code - 1) & 0x13) === 0) {
      // A decomposition that starts with a starter (most characters: code STARTER, or é, が with a final mark):
      // nothing to insert, the count restarts at its final non-starters.
      count = (code - 1) >> 2;
    } else {
      let lead: number;
      let trail: number;
      let all: boolean;
      if (code === 0xff) [lead, trail, all] = slowCounts(cp);
      else {
        const v = code - 1;
        lead = v & 3;
        trail = (v >> 2) & 3;
        all = (v & 16) !== 0;
      }
      if (count + lead > MAX_NON_STARTERS) {
        out += s.slice(from, i) + CGJ;
        from = i;
        count = 0;
      }
      count = all ? count + lead : trail;
    }
    i += w;
  }
  return from === 0 ? s : out + s.slice(from);
}

/**
 * `s.normalize(form)` after {@link streamSafe}: identical to `s.normalize(form)` when `s` has no run of more
 * than 30 non-starters, linear time on every input.
 * @internal
 */
export function normalizeStreamSafe(s: string, form: 'NFC' | 'NFD' | 'NFKC' | 'NFKD'): string {
  return streamSafe(s).normalize(form);
}
