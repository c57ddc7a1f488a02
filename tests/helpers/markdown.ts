/** The fenced code blocks of a Markdown page, as the guide runner (tests/guides.test.ts) reads them. */

export interface Fence {
  /** The info string: `ts`, `text`, `console`, `sh`, `json`, … */
  lang: string;
  /** The block's content, without the fences, ending with a line break. */
  body: string;
  /** The HTML comment on the last non-blank line before the fence (`output`, `file: corpus.jsonl`, …), or null. */
  marker: string | null;
  /** 1-based line of the opening fence. */
  line: number;
}

/** Every fenced block (```` ``` ```` fences at the start of a line) of `page`, in order. */
export function fences(page: string): Fence[] {
  const lines = page.split('\n');
  const out: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    let end = i + 1;
    while (end < lines.length && lines[end] !== '```') end++;
    if (end === lines.length) throw new Error(`line ${start + 1}: unclosed code fence`);
    let before = start - 1;
    while (before >= 0 && lines[before]!.trim() === '') before--;
    const comment = before >= 0 ? /^<!--\s*(.*?)\s*-->$/.exec(lines[before]!) : null;
    out.push({ lang: open[1]!, body: `${lines.slice(start + 1, end).join('\n')}\n`, marker: comment ? comment[1]! : null, line: start + 1 });
    i = end;
  }
  return out;
}

/**
 * The page's TypeScript programs: a ```ts block that imports something starts a program, a block without imports
 * continues the one before it (so a guide can explain its code between blocks). Each entry lists the indexes, in
 * `blocks`, of the ts fences it joins.
 */
export function programs(blocks: Fence[]): number[][] {
  const groups: number[][] = [];
  blocks.forEach((b, i) => {
    if (b.lang !== 'ts') return;
    if (/^import /m.test(b.body) || groups.length === 0) groups.push([i]);
    else groups[groups.length - 1]!.push(i);
  });
  return groups;
}

/** Replaces timings in CLI output (`in 0.1 s (50 records/s, 0 MB/s)`), which differ on every run, with `…`. */
export const withoutTimings = (text: string): string =>
  text.replace(/in [\d.,]+ (?:ms|s|min) \([\d.,]+ records\/s, [\d.,]+ MB\/s\)/g, 'in … s (… records/s, … MB/s)');
