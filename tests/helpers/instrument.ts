/**
 * The `// =>` assertion convention of TSDoc examples and guides: `stmt; // => expected` (or
 * `const x = expr; // => expected`, or `// => expected` alone on the next line) asserts that the value deep-equals
 * the expected expression, through a `__check(actual, expected, line)` function the runner provides.
 */

/** Turns `stmt; // => expected` lines into `__check` calls; drops imports of the package when `dropImports`. */
export function instrument(code: string, dropImports = true): string {
  // A line holding only `// => expected` asserts the statement on the line before it.
  const joined: string[] = [];
  for (const line of code.split('\n')) {
    if (/^\s*\/\/\s*=>/.test(line) && joined.length > 0) joined[joined.length - 1] += ` ${line.trim()}`;
    else joined.push(line);
  }
  return joined
    .filter((l) => !dropImports || !/^\s*import\s.*from\s+['"]neardup['"]/.test(l))
    .map((l) => {
      const m = /^(\s*)(?:(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=\s*)?(.+?);?\s*\/\/\s*=>\s*(.+)$/.exec(l);
      if (!m) return l;
      const [, indent, binding, expr, expected] = m;
      if (binding) return `${indent}const ${binding} = ${expr}; __check(${binding}, (${expected}), ${JSON.stringify(l.trim())});`;
      return `${indent}__check((${expr}), (${expected}), ${JSON.stringify(l.trim())});`;
    })
    .join('\n');
}
