import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

// The TypeScript examples of the package READMEs, as the README tests read them: a block fenced
// as ```ts check is one file, named by its first comment (`// src/command.ts`), else `example-N.ts`.

/** The bodies of the README's ```ts check blocks. */
export function checkedBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts check\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
}

/** The file a block is written to. */
export function fileNameOf(block: string, index: number): string {
  const named = block
    .split("\n", 2)
    .map((line) => /^\/\/ (src\/[\w./-]+\.ts)\b/.exec(line)?.[1])
    .find(Boolean);
  return named ?? `example-${index + 1}.ts`;
}

/** Writes one README's blocks as files under `dir`. */
export function writeBlocks(dir: string, blocks: readonly string[]): void {
  blocks.forEach((block, index) => {
    const file = join(dir, fileNameOf(block, index));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, block);
  });
}
