// Runs one bench file and prints its Markdown section to stdout (used by run-bench.mjs).
const name = process.argv[2];
const mod = (await import(`../bench/${name}.bench.ts`)) as { default: () => Promise<string> | string };
const section = await mod.default();
process.stdout.write(`${section.trim()}\n\n_Reproduce: \`npm run bench -- ${name}\`_\n`);
