// The version atomsync writes into every JSON plan (and checks when applying a saved one) is the package's.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ATOMSYNC_VERSION } from '../../../controller/util/atomsync-version.js';

describe('atomsync version', () => {
  it('is package.json’s version', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(ATOMSYNC_VERSION).toBe(pkg.version);
  });
});
