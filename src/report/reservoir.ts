import { mix32 } from '../hash/mix';

/**
 * A uniform sample of at most `capacity` items from a stream of unknown length (Vitter's algorithm R), with a
 * seeded SplitMix32 generator: the same stream and seed give the same sample on every platform. An item's value
 * is made only when it enters the sample (`make` is called lazily), so a caller can defer costly work (parsing a
 * record, truncating its text) to the few items kept.
 * @internal
 */
export class Reservoir<T> {
  readonly items: T[] = [];
  private seen = 0;
  private state: number;

  constructor(readonly capacity: number, seed: number) {
    this.state = mix32(seed >>> 0);
  }

  /** Offers the next item of the stream; returns true when it entered the sample. */
  offer(make: () => T): boolean {
    this.seen++;
    if (this.items.length < this.capacity) {
      this.items.push(make());
      return true;
    }
    const k = Math.floor(this.random() * this.seen);
    if (k >= this.capacity) return false;
    this.items[k] = make();
    return true;
  }

  /** Items offered so far. */
  get offered(): number {
    return this.seen;
  }

  private random(): number {
    this.state = (this.state + 0x9e3779b9) | 0;
    return mix32(this.state) / 4294967296;
  }
}
