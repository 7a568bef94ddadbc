// What a plan is made from besides the platform, hashed so `apply plan.json` can tell whether the pins or
// the config changed since (docs/plan-format.md, "inputs"): the config file's bytes, each pin's content
// hash (its generation), the --target accounts, and the git commit of the pins when they are in a
// repository.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import type { AtomsyncConfig } from '../config/types.js';
import type { PlanInputs } from '../domain/saved-plan.js';
import type { DesiredAtomVersion } from '../domain/types.js';
import { compareText } from '../domain/waves.js';

export async function planInputs(
  config: AtomsyncConfig,
  desired: readonly DesiredAtomVersion[],
  target: readonly string[],
): Promise<PlanInputs> {
  const base = dirname(config.configFile);
  const configHash = sha256(await readFile(config.configFile));
  const pins = [...desired]
    .sort((a, b) => compareText(a.key, b.key))
    .map((doc) => ({
      key: doc.key,
      ...(doc.origin.file !== undefined && { file: relative(base, doc.origin.file) || doc.origin.file }),
      hash: doc.generation,
    }));
  const hash = sha256(
    [`config\u0000${configHash}`, ...pins.map((pin) => `pin\u0000${pin.key}\u0000${pin.hash}`)].join('\n'),
  );
  const pinFile = desired.find((doc) => doc.origin.file !== undefined)?.origin.file;
  const revision = await gitRevision(pinFile !== undefined ? dirname(pinFile) : base);
  return {
    hash,
    config: { file: relative(process.cwd(), config.configFile) || config.configFile, hash: configHash },
    pins,
    ...(revision !== undefined && { revision }),
    target: [...target],
  };
}

function sha256(content: string | Buffer): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

/** The commit checked out where the pins are, when that is a git work tree (else undefined). */
function gitRevision(dir: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['rev-parse', 'HEAD'], { cwd: dir, timeout: 5_000 }, (error, stdout) =>
      resolve(error ? undefined : stdout.trim() || undefined),
    );
  });
}
