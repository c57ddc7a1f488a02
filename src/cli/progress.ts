/**
 * A one-line progress display on stderr: records, records/s, MB/s and, when the input size is known, the
 * percentage and the time left. Shown only when stderr is a terminal and `--quiet` is not given.
 */

/** What the display shows. */
export interface ProgressState {
  /** Records (non-blank lines) processed. */
  records: number;
  /** Decompressed input bytes processed. */
  bytes: number;
  /** Raw input bytes read (compressed for gzip), compared with `total`. */
  rawBytes: number;
  /** Raw input size, or null when unknown (a pipe). */
  total: number | null;
  /** Seconds since the start. */
  seconds: number;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** `h:mm:ss` or `m:ss`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad2(m)}:${pad2(s % 60)}` : `${m}:${pad2(s % 60)}`;
}

/** The progress line, e.g. `12,000 records  4,000 rec/s  2.1 MB/s  45%  ETA 0:12`. */
export function formatProgress(p: ProgressState): string {
  const rate = p.seconds > 0 ? p.records / p.seconds : 0;
  const mbps = p.seconds > 0 ? p.bytes / 1e6 / p.seconds : 0;
  let line = `${p.records.toLocaleString('en-US')} records  ${Math.round(rate).toLocaleString('en-US')} rec/s  ${mbps.toFixed(1)} MB/s`;
  if (p.total !== null && p.total > 0) {
    const fraction = Math.min(1, p.rawBytes / p.total);
    line += `  ${Math.floor(fraction * 100)}%`;
    if (fraction > 0 && p.seconds > 0.5) line += `  ETA ${formatDuration((p.seconds * (1 - fraction)) / fraction)}`;
  }
  return line;
}

/** Redraws the progress line at most every `interval` ms. */
export class Progress {
  private last = 0;
  private shown = false;
  private readonly start = performance.now();

  /** @param stream - stderr, or null to show nothing */
  constructor(private readonly stream: NodeJS.WritableStream | null, private readonly interval = 200) {}

  /** Updates the display if the interval has passed. */
  update(state: Omit<ProgressState, 'seconds'>): void {
    if (!this.stream) return;
    const now = performance.now();
    if (now - this.last < this.interval) return;
    this.last = now;
    this.shown = true;
    this.stream.write(`\r\x1b[K${formatProgress({ ...state, seconds: (now - this.start) / 1000 })}`);
  }

  /** Clears the line. */
  done(): void {
    if (this.stream && this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}
