/** Planted near-duplicate corpora: seeded base documents and edited variants (shared by the dedupe and Redis tests). */
import { mulberry32 as rng } from './random';

const VOCAB = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)}x`);

/** A corpus of base documents and edited variants (word substitutions at a given rate). */
export function plantedCorpus(seed: number, bases: number, variantsPerBase: number, words: number): { id: string; text: string }[] {
  const rand = rng(seed);
  const docs: { id: string; text: string }[] = [];
  for (let b = 0; b < bases; b++) {
    const base = Array.from({ length: words }, () => VOCAB[Math.floor(rand() * VOCAB.length)]!);
    docs.push({ id: `b${b}`, text: base.join(' ') });
    for (let v = 0; v < variantsPerBase; v++) {
      const rate = [0.005, 0.02, 0.05, 0.15][v % 4]!;
      const variant = base.map((w) => (rand() < rate ? VOCAB[Math.floor(rand() * VOCAB.length)]! : w));
      docs.push({ id: `b${b}v${v}`, text: v % 2 ? variant.join(' ').toUpperCase() : variant.join('  ') });
    }
  }
  // Shuffle deterministically so variants may come before their base.
  for (let i = docs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [docs[i], docs[j]] = [docs[j]!, docs[i]!];
  }
  return docs;
}

/**
 * Near-duplicate families for concurrent writers: `families` base texts of `words` words, and per family
 * `copies` variants that each change one word (two copies differ in at most 10 of their word 5-grams: Jaccard
 * ≥ 0.9 at 200 words, so every pair of a family is a duplicate; different families share nothing). Ids are `f<family>c<copy>`.
 */
export function families(seed: number, count: number, copies: number, words: number): { id: string; family: number; text: string }[] {
  const rand = rng(seed);
  const out: { id: string; family: number; text: string }[] = [];
  for (let f = 0; f < count; f++) {
    const base = Array.from({ length: words }, () => VOCAB[Math.floor(rand() * VOCAB.length)]!);
    for (let c = 0; c < copies; c++) {
      const variant = base.slice();
      variant[Math.floor(rand() * words)] = VOCAB[Math.floor(rand() * VOCAB.length)]!;
      out.push({ id: `f${f}c${c}`, family: f, text: variant.join(' ') });
    }
  }
  return out;
}
