// A simulator world with many runtimes in one account, for the throughput and observe benchmarks: the
// small scenario's calendar and users, one account with a PROD and a TEST environment, N Atoms split
// between them, and two integration packs the account publishes and installs on both environments (one
// with a dated release in its testing period, so packs show a pending version).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { SMALL, smallScenario } from '../../test/support/simulator/small-scenario.js';
import type { Scenario } from '../../simulator/scenario/scenario-types.js';

export const LARGE = {
  accountId: 'bench-acct-000001',
  admin: SMALL.admin,
  /** Released and pending version of the runtime component (from the small scenario's calendar). */
  atomReleased: '26.11.0',
  atomPending: '26.12.0',
  packs: { steady: 'Bench Pack Steady', pending: 'Bench Pack Pending' },
  installedPackVersion: 3,
} as const;

export function runtimeId(index: number): string {
  return `bench-atom-${String(index).padStart(5, '0')}`;
}

export function runtimeName(index: number): string {
  return `Bench Atom ${String(index).padStart(5, '0')}`;
}

export function largeScenario(runtimes: number): Scenario {
  const scenario = smallScenario();
  const environments = ['Prod', 'Test'];
  scenario.accounts = [
    {
      id: LARGE.accountId,
      name: 'bench',
      environments: [
        { name: 'Prod', classification: 'PROD' },
        { name: 'Test', classification: 'TEST' },
      ],
      runtimes: Array.from({ length: runtimes }, (_, index) => ({
        id: runtimeId(index),
        name: runtimeName(index),
        type: 'ATOM' as const,
        environment: environments[index % environments.length] ?? 'Prod',
      })),
      integrationPacks: [
        { pack: LARGE.packs.steady, version: LARGE.installedPackVersion, environments },
        { pack: LARGE.packs.pending, version: LARGE.installedPackVersion, environments },
      ],
    },
  ];
  scenario.integrationPacks = [
    { name: LARGE.packs.steady, publisher: LARGE.accountId },
    {
      name: LARGE.packs.pending,
      publisher: LARGE.accountId,
      pendingRelease: { releaseOnDate: '2026-12-10T00:00:00Z' },
    },
  ];
  return scenario;
}

export interface ScenarioFile {
  file: string;
  remove(): Promise<void>;
}

/** Writes the scenario as YAML into a fresh temp folder; `remove()` deletes the folder. */
export async function writeScenarioFile(scenario: Scenario): Promise<ScenarioFile> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'atomsync-bench-'));
  const file = path.join(dir, 'large.yaml');
  await writeFile(file, stringify(scenario));
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}
