/**
 * Seeded synthetic corpora with planted near-duplicates: base documents and variants made with word insertions,
 * deletions and substitutions at known rates, case and whitespace changes, and appended boilerplate.
 */
import { rng } from './harness';

export interface PlantedDoc {
  id: string;
  text: string;
  /** Family = the base document it derives from. */
  family: number;
  /** Edit rate applied (0 for the base). */
  rate: number;
}

const BOILERPLATE = [
  'Click here to subscribe to our newsletter.',
  'All rights reserved. Terms of use apply.',
  'Share this article on social media.',
];

/** Words of a Zipf-like vocabulary drawn from real text, so documents look like prose but families are unrelated. */
export function vocabularyFrom(texts: string[], size = 20000): string[] {
  const counts = new Map<string, number>();
  for (const t of texts) for (const w of t.toLowerCase().split(/[^a-z]+/)) if (w.length > 1) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, size).map(([w]) => w);
}

/** Applies word edits at `rate` (each word: substituted, deleted or followed by an insertion with rate/3 each). */
export function editWords(words: string[], rate: number, vocab: string[], rand: () => number): string[] {
  const out: string[] = [];
  const pick = (): string => vocab[Math.floor(Math.pow(rand(), 2) * vocab.length)]!;
  for (const w of words) {
    const r = rand();
    if (r < rate / 3) out.push(pick());
    else if (r < (2 * rate) / 3) continue;
    else if (r < rate) out.push(w, pick());
    else out.push(w);
  }
  return out;
}

/** Surface changes that normalization must see through: case and whitespace. */
function surface(text: string, rand: () => number): string {
  const r = rand();
  if (r < 0.25) return text.toUpperCase();
  if (r < 0.5) return text.replace(/ /g, () => (rand() < 0.1 ? '  \n' : ' '));
  return text;
}

export const EDIT_RATES = [0.01, 0.03, 0.05, 0.1, 0.2] as const;

export function plantedCorpus(seed: number, families: number, variantsPerFamily: number, vocab: string[], wordsPerDoc = 150): PlantedDoc[] {
  const rand = rng(seed);
  const pick = (): string => vocab[Math.floor(Math.pow(rand(), 2) * vocab.length)]!;
  const docs: PlantedDoc[] = [];
  for (let f = 0; f < families; f++) {
    const length = Math.floor(wordsPerDoc * (0.5 + rand()));
    const base = Array.from({ length }, pick);
    docs.push({ id: `f${f}`, text: base.join(' '), family: f, rate: 0 });
    for (let v = 0; v < variantsPerFamily; v++) {
      const rate = EDIT_RATES[v % EDIT_RATES.length]!;
      let text = surface(editWords(base, rate, vocab, rand).join(' '), rand);
      if (rand() < 0.2) text += `\n\n${BOILERPLATE[Math.floor(rand() * BOILERPLATE.length)]}`;
      docs.push({ id: `f${f}v${v}`, text, family: f, rate });
    }
  }
  for (let i = docs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [docs[i], docs[j]] = [docs[j]!, docs[i]!];
  }
  return docs;
}
