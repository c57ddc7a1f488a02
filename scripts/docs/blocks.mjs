// @ts-check
/**
 * `<!-- build:NAME -->` … `<!-- /build -->` blocks of the docs pages: content computed by scripts/docs/generate.ts
 * (charts, tables from bench/RESULTS.md, bundle sizes). Shared by the generator (`--write`) and the typedoc plugin.
 */

const BLOCK = /<!-- build:([\w:-]+) -->\n[\s\S]*?<!-- \/build -->/g;

/**
 * Replaces the body of every build block of `page` with `parts[NAME]`.
 * @param {string} page
 * @param {Record<string, string>} parts
 * @param {string} where - the page's name, for the error
 * @returns {string}
 */
export function fillBuildBlocks(page, parts, where) {
  return page.replace(BLOCK, (_, /** @type {string} */ name) => {
    const body = parts[name];
    if (body === undefined) throw new Error(`${where}: no generated part "${name}" (see scripts/docs/generate.ts)`);
    return `<!-- build:${name} -->\n${body}\n<!-- /build -->`;
  });
}
