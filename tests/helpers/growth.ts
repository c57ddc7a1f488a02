/**
 * How the running time of `run` grows when its input grows 4×: the time of `run(make(4n))` divided by the time
 * of `run(make(n))`. Linear work gives about 4, quadratic about 16.
 *
 * Each time is the fastest of `repeats` timings (after one warm-up run of each size). Pauses only ever add
 * time, and in a test worker whose heap holds the garbage of earlier tests, garbage collection triggered by the
 * large input's strings lands in more than half of its runs (2–3 ms runs measured at 10–19 ms), which drags a
 * median or even a quartile; the fastest run is the undisturbed one. Inputs are built before timing and the two
 * sizes alternate, so that a slow stretch hits both. A ratio, never an absolute time, is what a test may assert.
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
  if (sink === -1) throw new Error('unreachable'); // keeps the results alive
  return Math.min(...timesLarge) / Math.max(Math.min(...timesSmall), 1e-3);
}
