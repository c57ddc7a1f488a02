// @ts-check
/**
 * typedoc plugin: fills the `<!-- build:NAME -->` blocks of the landing page and guides with the parts that
 * scripts/docs/generate.ts computed (`npm run docs` runs it first), so the site shows current charts, bench tables
 * and bundle sizes whatever the committed Markdown holds.
 */
import { existsSync, readFileSync } from 'node:fs';
import { MarkdownEvent } from 'typedoc';
import { fillBuildBlocks } from './blocks.mjs';

const GENERATED = new URL('../../.tmp/docs/generated.json', import.meta.url);

/** @param {import('typedoc').Application} app */
export function load(app) {
  /** @type {Record<string, string> | undefined} */
  let parts;
  app.renderer.on(
    MarkdownEvent.PARSE,
    (event) => {
      if (!event.parsedText.includes('<!-- build:')) return;
      if (!parts) {
        if (!existsSync(GENERATED)) {
          app.logger.error('docs: .tmp/docs/generated.json is missing: build the site with `npm run docs` (it runs scripts/docs/generate.ts first)');
          parts = {};
        } else parts = JSON.parse(readFileSync(GENERATED, 'utf8'));
      }
      try {
        event.parsedText = fillBuildBlocks(event.parsedText, /** @type {Record<string, string>} */ (parts), event.page.url);
      } catch (e) {
        app.logger.error(/** @type {Error} */ (e).message);
      }
    },
    100,
  );
}
