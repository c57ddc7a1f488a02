// @ts-check
/**
 * typedoc plugin: puts every export of src/index.ts in the group of what a user does with it, read from the
 * folder that declares it (one idea per folder), so the API reference is grouped without a `@group` tag on
 * each of ~100 declarations. A few names are moved by hand (an index that lives beside its sketch). The
 * groups' introductions are the `@groupDescription` tags of src/index.ts; the group order is typedoc.json's
 * `groupOrder`. An export from a folder missing here is an error (the build fails): name its group.
 */
import { Comment, CommentTag, Converter, ReflectionKind } from 'typedoc';
import ts from 'typescript';

/** src/<folder> → group. */
export const FOLDER_GROUPS = {
  internal: 'Deduplicating documents', // Doc and DocId
  hash: 'Hashing',
  text: 'Text',
  shingle: 'Shingles and similarity',
  similarity: 'Shingles and similarity',
  minhash: 'Sketches',
  simhash: 'Sketches',
  lsh: 'Indexes',
  bloom: 'Indexes',
  dedup: 'Deduplicating documents',
  service: 'Deduplicating documents', // the Redis-backed detector
  paragraphs: 'Repeated paragraphs',
  substring: 'Repeated substrings',
  quality: 'Quality',
  // folders of branches not merged yet (explain, contain, scale): named here so that their merge does not break the
  // docs build; a group's introduction is a `@groupDescription` in src/index.ts, added once the group has members
  explain: 'Explaining and reporting',
  report: 'Explaining and reporting',
  containment: 'Indexes',
  scale: 'Deduplicating documents',
};

/** Exports whose group is not their folder's. */
export const NAME_GROUPS = {
  SimHashIndex: 'Indexes',
  SIMHASH_INDEX_DEFAULTS: 'Indexes',
  SimHashIndexOptions: 'Indexes',
};

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const refl of context.project.children ?? []) {
      if (refl.kindOf(ReflectionKind.Module)) continue;
      if (refl.comment?.getTag('@group')) continue; // an explicit tag wins
      let group = NAME_GROUPS[/** @type {keyof typeof NAME_GROUPS} */ (refl.name)];
      if (!group) {
        let symbol = context.getSymbolFromReflection(refl);
        if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = context.checker.getAliasedSymbol(symbol);
        const file = symbol?.declarations?.[0]?.getSourceFile().fileName ?? '';
        const folder = /\/src\/([^/]+)\//.exec(file)?.[1] ?? '';
        group = FOLDER_GROUPS[/** @type {keyof typeof FOLDER_GROUPS} */ (folder)];
        if (!group) {
          app.logger.error(`scripts/docs/typedoc-groups.mjs: ${refl.name} is declared in src/${folder}/, which has no group; add it to FOLDER_GROUPS`);
          continue;
        }
      }
      refl.comment ??= new Comment();
      refl.comment.blockTags.push(new CommentTag('@group', [{ kind: 'text', text: group }]));
    }
  });
}
