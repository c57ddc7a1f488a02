/**
 * The two kinds of failure the CLI reports, with their exit codes: a usage error (bad option, missing file,
 * exit 2) and invalid input (a malformed record, a corrupt gzip stream, exit 1).
 */

/** Exit code on success. */
export const EXIT_OK = 0;
/** Exit code when the input is invalid (a malformed record without `--skip-invalid`, a corrupt gzip stream). */
export const EXIT_INVALID_INPUT = 1;
/** Exit code on a usage error: unknown command or option, bad option value, unreadable input path. */
export const EXIT_USAGE = 2;

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = EXIT_USAGE;
}

/** The input cannot be processed as asked: exit code 1. */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly exitCode = EXIT_INVALID_INPUT;
}

/** The message of any thrown value. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Library option names in validation messages, and the command-line flags that set them. */
const FLAGS: readonly [RegExp, string][] = [
  [/^shingle\.size\b/, '--shingle-size'],
  [/^shingle\.unit\b/, '--shingle-unit'],
  [/^numPerm\b/, '--num-perm'],
  [/^minChars\b/, '--min-length'],
  [/^near\.threshold\b/, '--near-threshold'],
  [/^minRecall\b/, '--min-recall'],
  [/^maxCandidates\b/, '--max-candidates'],
  [/^maxVerifications\b/, '--max-verifications'],
  [/^bands\b/, '--bands'],
  [/^rows\b/, '--rows'],
  [/^maxDistance\b/, '--simhash-max-distance'],
  [/^editRatioMaxLength\b/, '--edit-ratio-max-length'],
  [/^boilerplate\.maxDocFrequency\b/, '--boilerplate-max-doc-frequency'],
  [/^boilerplate\.minDocuments\b/, '--boilerplate-min-documents'],
  [/^(threshold|seed|method|measure|unit|store|locale|tokenizer|scheme)\b/, '--$1'],
];

/**
 * A library validation error as a usage error that names the flag: `numPerm must be …` becomes
 * `--num-perm must be …`.
 */
export function usageErrorFrom(err: unknown): UsageError {
  // Library messages read `<function>: options.<path> must be …`; the flag replaces both.
  let message = messageOf(err).replace(/^[\w.]+: options\./, '');
  for (const [pattern, flag] of FLAGS) {
    if (pattern.test(message)) {
      message = message.replace(pattern, flag);
      break;
    }
  }
  // Options named inside the message (`give options.maxDistance …`) become their flags too.
  message = message.replace(/\boptions\.([\w.]+)/g, (whole, path: string) => {
    for (const [pattern, flag] of FLAGS) if (pattern.test(path)) return path.replace(pattern, flag);
    return whole;
  });
  return new UsageError(message);
}
