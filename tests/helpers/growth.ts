/**
 * How the running time of `run` grows when its input grows 4×: a typical time of `run(make(4n))` divided by a
 * typical time of `run(make(n))`. Linear work gives about 4, quadratic about 16.
 *
 * The typical time is the lower quartile of `repeats` timings (after one warm-up run of each size). Pauses of a
 * shared machine (garbage collection, other processes) only ever add time, and in a test worker they hit a third
 * of the runs or more, which can drag a median; the lower quartile stays on undisturbed runs while still
 * ignoring a single lucky one. Inputs are built before timing and the two sizes alternate, so that a slow
 * stretch hits both. A ratio, never an absolute time, is what a test may assert.
 */
export function growthRatio<T>(make: (n: number) => T, run: (input: T) => unknown, n: number, repeats = 5): number {
  const small = make(n);
  const large = make(4 * n);
  const timesSmall: number[] = [];
  const timesLarge: number[] = [];
  let sink = 0;
  const time = (input: T): number => {
    const t = performance.now();
    const r = run(input);
    const dt = performance.now() - t;
    sink ^= typeof r === 'string' ? r.length : 1;
    return dt;
  };
  time(small);
  time(large);
  for (let i = 0; i < repeats; i++) {
    timesSmall.push(time(small));
    timesLarge.push(time(large));
  }
  const lowerQuartile = (xs: number[]): number => xs.sort((a, b) => a - b)[xs.length >> 2]!;
  if (sink === -1) throw new Error('unreachable'); // keeps the results alive
  return lowerQuartile(timesLarge) / Math.max(lowerQuartile(timesSmall), 1e-3);
}
