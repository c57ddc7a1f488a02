/**
 * How the running time of `run` grows when its input grows 4×: the median of `repeats` timings of `run(make(4n))`
 * divided by the median of `repeats` timings of `run(make(n))`. Linear work gives about 4, quadratic about 16.
 * Inputs are built before timing; the two sizes alternate (after one warm-up each) so that a slow moment of a
 * shared machine hits both. A ratio of medians, never an absolute time, is what a test may assert.
 */
export function medianGrowth<T>(make: (n: number) => T, run: (input: T) => unknown, n: number, repeats = 5): number {
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
  const median = (xs: number[]): number => xs.sort((a, b) => a - b)[xs.length >> 1]!;
  if (sink === -1) throw new Error('unreachable'); // keeps the results alive
  return median(timesLarge) / Math.max(median(timesSmall), 1e-3);
}
