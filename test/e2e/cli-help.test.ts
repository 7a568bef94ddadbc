// Every verb's --help ends with examples to copy, and exits 0.
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/build.js';
import { REPO_ROOT } from './support/repo.js';
import { runCli } from './support/run-cli.js';

const VERBS = [['validate'], ['plan'], ['apply'], ['import'], ['sim'], ['sim', 'reset']];

beforeAll(async () => {
  await ensureBuilt();
}, 120_000);

describe('--help', () => {
  it.each(VERBS.map((verb) => [verb.join(' '), verb]))(
    '`atomsync %s --help` shows usage and examples',
    async (name, verb) => {
      const result = await runCli([...verb, '--help'], { cwd: REPO_ROOT });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: atomsync ${name}`);
      const examples = result.stdout.split('\nExamples:\n')[1] ?? '';
      expect(examples, `no "Examples:" section in:\n${result.stdout}`).toMatch(/^ {2}atomsync \S+/m);
    },
  );

  it('`atomsync --help` lists every verb', async () => {
    const result = await runCli(['--help'], { cwd: REPO_ROOT });
    expect(result.code).toBe(0);
    for (const verb of ['validate', 'plan', 'apply', 'import', 'sim']) {
      expect(result.stdout).toMatch(new RegExp(`^ {2}${verb}\\b`, 'm'));
    }
  });
});
