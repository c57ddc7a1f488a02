// Regenerates docs/images/report.png, the README's picture of the HTML report: runs
//   neardup dedupe bench/data/debian-desc-en.jsonl.gz --skip-invalid --html .tmp/report.html
// from source (tsx), opens the page in headless Chromium (Debian's /usr/bin/chromium via playwright-core, every
// request blocked: the page must need no network) and screenshots its top.
// Usage: node scripts/screenshot-report.mjs   (CHROMIUM=/path/to/chromium to use another binary)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const html = join(root, '.tmp/report.html');
const png = join(root, 'docs/images/report.png');
mkdirSync(dirname(html), { recursive: true });
execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'dedupe', 'bench/data/debian-desc-en.jsonl.gz', '--skip-invalid', '-q', '-o', '/dev/null', '--html', html], { cwd: root, stdio: 'inherit' });

const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) throw new Error(`${executablePath} not found: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM`);
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1180, height: 1500 }, deviceScaleFactor: 1 });
  const url = pathToFileURL(html).href;
  await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
  await page.goto(url);
  mkdirSync(dirname(png), { recursive: true });
  await page.screenshot({ path: png, clip: { x: 0, y: 0, width: 1180, height: 1500 } });
  console.log(`screenshot-report: ${png} (${Math.round(statSync(png).size / 1024)} KB) from ${html} (${Math.round(statSync(html).size / 1024)} KB)`);
} finally {
  await browser.close();
}
