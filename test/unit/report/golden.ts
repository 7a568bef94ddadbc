// Golden files: the expected report text lives in golden/<name>. Run with UPDATE_GOLDEN=1 to rewrite
// them after an intended change, then review the diff.

import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const GOLDEN_DIR = fileURLToPath(new URL('./golden/', import.meta.url));

export async function expectGolden(name: string, actual: string): Promise<void> {
  const file = `${GOLDEN_DIR}${name}`;
  if (process.env.UPDATE_GOLDEN === '1') {
    await writeFile(file, actual, 'utf8');
    return;
  }
  const expected = await readFile(file, 'utf8').catch(() => undefined);
  if (expected === undefined)
    throw new Error(`Golden file golden/${name} is missing; run with UPDATE_GOLDEN=1.`);
  expect(actual).toBe(expected);
}
