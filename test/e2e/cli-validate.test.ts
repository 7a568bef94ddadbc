// `atomsync validate`: checks pin files without any platform, and reports every problem at once.
import { mkdir, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/build.js';
import { runCli } from './support/run-cli.js';
import type { CliResult } from './support/run-cli.js';
import { copyExamples } from './support/workspace.js';
import type { Workspace } from './support/workspace.js';

function pin(name: string, runtime: string, extra: string): string {
  return `apiVersion: atomsync.io/v1alpha1
kind: AtomVersion
metadata: { name: ${name} }
spec:
  account: acme-prod
  runtime: { name: ${runtime} }
${extra}`;
}

const BROKEN_FILES: Record<string, string> = {
  'a-version.yaml': pin('staging', 'Staging Atom', '  version: "26.x"\n'),
  'b-unknown-field.yaml': pin('prod-west', 'Prod West Atom', '  chanel: released\n'),
  'c-duplicate.yaml': pin('east-one', 'Prod East Molecule', '  channel: released\n'),
  'd-duplicate.yaml': pin('east-two', 'Prod East Molecule', '  channel: pending\n'),
};

let ws: Workspace;
let valid: CliResult;
let broken: CliResult;

beforeAll(async () => {
  await ensureBuilt();
  ws = await copyExamples();
  await mkdir(ws.path('broken'));
  for (const [name, text] of Object.entries(BROKEN_FILES)) await writeFile(ws.path('broken', name), text);
  await writeFile(
    ws.path('broken', 'e-fine.yaml'),
    pin('cloud', 'Acme Private Cloud', '  channel: released\n'),
  );
  valid = await runCli(['validate', 'pins'], { cwd: ws.dir });
  broken = await runCli(['validate', 'broken'], { cwd: ws.dir });
}, 120_000);

afterAll(async () => {
  await ws?.remove();
});

describe('validate', () => {
  it('exits 0 on the example pins and says how many AtomVersions it checked', () => {
    expect(valid.stderr).toBe('');
    expect(valid.code).toBe(0);
    expect(valid.stdout).toBe('8 AtomVersions valid.\n');
  });

  it('exits 1 and points at a version that is not an exact dotted version', () => {
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^broken\/a-version\.yaml:7:12 spec\.version: must match .*26\.12\.0$/m);
  });

  it('names an unknown field at its place, with the field it probably meant', () => {
    expect(broken.stderr).toMatch(/^broken\/b-unknown-field\.yaml:7:3 spec\.chanel: unknown field 'chanel'/m);
    expect(broken.stderr).toContain("did you mean 'channel'?");
  });

  it('reports two pins of one runtime at both places, each naming the other', () => {
    expect(broken.stderr).toMatch(
      /^broken\/c-duplicate\.yaml:6:3 spec\.runtime: .*broken\/d-duplicate\.yaml:6:3/m,
    );
    expect(broken.stderr).toMatch(
      /^broken\/d-duplicate\.yaml:6:3 spec\.runtime: .*broken\/c-duplicate\.yaml:6:3/m,
    );
  });

  it('does not let one bad file hide the others, and still counts the valid document', () => {
    expect(broken.stderr).toContain('4 problem(s); 1 AtomVersion valid.');
    expect(broken.stderr).not.toContain('    at ');
  });

  it('exits 1 for a directory that does not exist', async () => {
    const missing = await runCli(['validate', 'no-such-dir'], { cwd: ws.dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no-such-dir:1:1 directory not found');
  });
});
