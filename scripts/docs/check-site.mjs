// @ts-check
/**
 * Checks the built docs site (docs/api, from `npm run docs`) as a reader meets it.
 *
 * 1. Links: every relative `href`/`src` of every page resolves to a file of the site, and every `#anchor` to an
 *    element id of its page (typedoc's own validation covers links in comments and guides before rendering; this
 *    covers what the theme and the Markdown produced).
 * 2. In headless Chromium (Debian's chromium on PATH or $CHROMIUM, driven by playwright-core, the site opened from
 *    a file:// URL): the landing page's first heading is `neardup`, once, and its first example is the `dedupe`
 *    call; every guide of docs/guides is in the sidebar under its frontmatter title; the search finds `dedupe`.
 *    Screenshots of the landing page and of the first guide go to .tmp/artifacts/. Without a Chromium the browser
 *    part is skipped with the reason printed, unless CI=true, where it fails.
 *
 * Usage: node scripts/docs/check-site.mjs   (after npm run docs)
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const site = join(root, 'docs/api');
const artifacts = join(root, '.tmp/artifacts');
/** @type {string[]} */
const failures = [];
/** @param {string} message */
const fail = (message) => failures.push(message);

if (!existsSync(join(site, 'index.html'))) {
  console.error('check-site: docs/api/index.html is missing: run npm run docs first');
  process.exit(1);
}

/** @param {string} dir @returns {string[]} */
const htmlFiles = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return htmlFiles(path);
    return name.endsWith('.html') ? [path] : [];
  });

// --- 1. links ---
const ids = new Map();
/** @param {string} file */
const idsOf = (file) => {
  if (!ids.has(file)) ids.set(file, new Set([...readFileSync(file, 'utf8').matchAll(/\sid="([^"]+)"/g)].map((m) => m[1])));
  return ids.get(file);
};
const pages = htmlFiles(site);
let links = 0;
for (const page of pages) {
  const html = readFileSync(page, 'utf8');
  for (const [, attr, raw = ''] of html.matchAll(/\s(href|src)="([^"]*)"/g)) {
    if (/^(?:[a-z][\w+.-]*:|\/\/)/i.test(raw)) continue; // external (https:, mailto:, data:)
    const url = raw.replace(/&amp;/g, '&');
    const [pathPart = '', anchor] = url.split('#');
    const target = pathPart === '' ? page : join(dirname(page), decodeURIComponent(pathPart.split('?')[0] ?? ''));
    links++;
    const where = `${relative(root, page)}: ${attr}="${raw}"`;
    if (!existsSync(target) || (statSync(target).isDirectory() && !existsSync(join(target, 'index.html')))) {
      fail(`${where}: no such file ${relative(root, target)}`);
      continue;
    }
    if (anchor && target.endsWith('.html') && !idsOf(target).has(decodeURIComponent(anchor))) fail(`${where}: no element with id "${anchor}"`);
  }
}
console.log(`check-site: ${links} internal links in ${pages.length} pages ${failures.length ? 'FAILED' : 'resolve'}`);

// --- 2. the browser ---
/** The guides, by title: frontmatter `title:` or the first heading. */
const guides = readdirSync(join(root, 'docs/guides'))
  .filter((f) => f.endsWith('.md'))
  .sort()
  .map((f) => {
    const text = readFileSync(join(root, 'docs/guides', f), 'utf8');
    return { file: f, title: /^---\n[\s\S]*?^title:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? /^# (.+)$/m.exec(text)?.[1]?.trim() ?? f };
  });

/** @param {string} name */
const onPath = (name) => (process.env.PATH ?? '').split(':').filter(Boolean).map((d) => join(d, name)).find((p) => existsSync(p));
const chromiumPath =
  process.env.CHROMIUM !== undefined ? (existsSync(process.env.CHROMIUM) ? process.env.CHROMIUM : undefined) : onPath('chromium') ?? onPath('chromium-browser');

if (!chromiumPath) {
  const why = process.env.CHROMIUM !== undefined ? `no Chromium found at CHROMIUM=${process.env.CHROMIUM}` : 'no Chromium found';
  if (process.env.CI === 'true') fail(`the docs site browser check needs Chromium in CI (${why}; .ci/run installs Debian's chromium)`);
  else console.log(`check-site: skipped the browser check: ${why} (install Debian's chromium or set CHROMIUM=/path/to/chromium)`);
} else {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--allow-file-access-from-files'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    /** @type {string[]} */
    const errors = [];
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
    // nothing leaves the machine: the site must work offline
    await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    await page.goto(pathToFileURL(join(site, 'index.html')).href);
    await page.waitForSelector('.site-menu a', { timeout: 30_000 });

    const headings = await page.locator('.col-content h1').allInnerTexts();
    if (headings[0]?.trim() !== 'neardup') fail(`landing page: first heading is ${JSON.stringify(headings[0])}, not "neardup"`);
    const named = (await page.locator('.col-content :is(h1, h2, h3)').allInnerTexts()).filter((h) => h.trim() === 'neardup');
    if (named.length !== 1) fail(`landing page: the heading "neardup" appears ${named.length} times, not once`);
    const firstCode = (await page.locator('.col-content pre').allInnerTexts()).find((c) => c.includes('import'));
    if (!firstCode?.includes("import { dedupe } from 'neardup'") || !firstCode.includes('dedupe(docs')) {
      fail(`landing page: the first example is not the dedupe example: ${JSON.stringify(firstCode?.slice(0, 120))}`);
    }
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'docs-landing.png'), fullPage: false });

    // textContent, not innerText: the groups of the sidebar are collapsed until the reader opens them
    const sidebar = await page.$$eval('.site-menu a', (as) => as.map((a) => (a.textContent ?? '').trim()));
    for (const g of guides) if (!sidebar.includes(g.title)) fail(`sidebar: guide ${g.file} is not listed as "${g.title}" (sidebar: ${sidebar.slice(0, 20).join(' | ')})`);
    for (const g of guides) {
      const slug = g.file.replace(/\.md$/, '');
      if (sidebar.includes(slug)) fail(`sidebar: guide ${g.file} is listed under its file name "${slug}"`);
    }

    await page.locator('#tsd-search-trigger').click();
    await page.locator('#tsd-search-input').fill('dedupe');
    await page.waitForSelector('#tsd-search-results li', { timeout: 10_000 }).catch(() => {});
    const results = (await page.locator('#tsd-search-results li').allInnerTexts()).map((t) => t.trim());
    if (!results.some((r) => r === 'dedupe' || r.startsWith('dedupe'))) fail(`search "dedupe": results ${JSON.stringify(results.slice(0, 5))}`);
    await page.keyboard.press('Escape');

    // the first guide, as a reader opens it from the sidebar
    const first = guides[0];
    if (first) {
      // the guides sit in the sidebar's collapsed "Guides" group: open it as a reader would
      const link = page.locator('.site-menu a', { hasText: first.title }).first();
      if (!(await link.isVisible())) await page.locator('.site-menu summary', { hasText: 'Guides' }).first().click();
      await link.click();
      await page.waitForLoadState('load');
      const crumbs = (await page.locator('.tsd-breadcrumb').allInnerTexts()).join(' ');
      if (!crumbs.includes(first.title)) fail(`guide ${first.file}: breadcrumb ${JSON.stringify(crumbs)} does not show its title`);
      await page.screenshot({ path: join(artifacts, 'docs-guide.png'), fullPage: false });
    }
    if (errors.length) fail(`errors in the page: ${errors.join('; ')}`);
    const ua = await page.evaluate(() => navigator.userAgent);
    console.log(`check-site: ${failures.length ? 'FAILED' : 'ok'} in ${ua.match(/(Headless)?Chrome\/[\d.]+/)?.[0] ?? ua}: landing heading and example, ${guides.length} guides in the sidebar, search; screenshots in ${relative(root, artifacts)}/`);
  } finally {
    await browser.close();
  }
}

if (failures.length) {
  for (const f of failures) console.error(`check-site: ${f}`);
  process.exitCode = 1;
}
