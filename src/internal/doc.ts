/**
 * The one id type and the one document type of every module that names documents: the LSH and SimHash
 * indexes, the detector, `dedupe`, `findRepeats`, the paragraph functions.
 */

/**
 * A document id: a string or a finite number. Ids are compared like `Map` keys, so `1` and `'1'` are
 * different ids.
 * @example
 * ```ts
 * import { LshIndex, type DocId } from 'neardup';
 * const ids: DocId[] = [1, '1'];
 * const index = new LshIndex({ numPerm: 2, bands: 1, rows: 2 });
 * for (const id of ids) index.insert(id, { values: new Uint32Array([1, 2]), numPerm: 2, seed: 1, scheme: 'fast' });
 * index.size; // => 2
 * ```
 */
export type DocId = number | string;

/**
 * A document: its id and its text. Functions that take a corpus accept `Doc`s or bare strings (a bare
 * string's id is then its position in the input, from 0).
 * @example
 * ```ts
 * import { dedupe, type Doc } from 'neardup';
 * const docs: Doc[] = [{ id: 'a', text: 'one two three four five six' }, { id: 'b', text: 'One two three four five six!' }];
 * dedupe(docs).duplicates[0]!.duplicateOf; // => 'a'
 * ```
 */
export interface Doc {
  /** The document's id, unique in its input. */
  readonly id: DocId;
  /** The document's text; offsets in results are UTF-16 code units into it. */
  readonly text: string;
}
