/** Loads the benchmark corpora shipped in `bench/data/`. */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export interface Doc { id: string; text: string; md5?: string }

/** The 63,956 Debian 12 package descriptions (English), with `md5` as an exact-duplicate ground truth. */
export function debianEnglish(limit = Infinity): Doc[] {
  return readJsonlGz(here('./data/debian-desc-en.jsonl.gz'), limit);
}

/** The 6,606 Japanese Debian descriptions. */
export function debianJapanese(limit = Infinity): Doc[] {
  return readJsonlGz(here('./data/debian-desc-ja.jsonl.gz'), limit);
}

/** The seed article, byte-identical to `seeds/000_cc1f5f790d2f55b7.txt`. */
export function seedArticle(): string {
  return readFileSync(here('../seeds/000_cc1f5f790d2f55b7.txt'), 'utf8');
}

function readJsonlGz(path: string, limit: number): Doc[] {
  const lines = gunzipSync(readFileSync(path)).toString('utf8').split('\n');
  const out: Doc[] = [];
  for (const line of lines) {
    if (out.length >= limit) break;
    if (line.trim() === '') continue;
    out.push(JSON.parse(line) as Doc);
  }
  return out;
}
