/** Types of blocks.mjs (plain JavaScript, so that the typedoc plugin can import it without a TypeScript loader). */
export function fillBuildBlocks(page: string, parts: Record<string, string>, where: string): string;
