// The pull-request report end to end: pins at --base and --head read from git objects, head planned
// against the live platform as apply would run (pipeline/elevated-plan.ts). Shared by `plan --base/--head`
// and `report github`; the caller opens the platform (embedded or remote), so this folder needs no CLI.
import { accountBookOf } from '../config/account-book.js';
import { loadConfig } from '../config/load-config.js';
import type { AtomsyncConfig } from '../config/types.js';
import { planningOptions } from '../pipeline/planning-options.js';
import type { AccountTarget } from '../platform/observe.js';
import { GitRepository } from './git-repository.js';
import { pinNamespacesInRepository, pinPathsInRepository } from './pin-paths.js';
import { buildPrReport, readPinsAtRefs, type PrReport } from './pr-report.js';

export interface PrReportInput {
  configFile: string;
  base: string;
  head: string;
  /** The git repository's folder (any folder inside it). */
  repository: string;
  /** Pin folders inside the repository; empty: from the config. */
  paths: string[];
}

export interface OpenedPlatform {
  config: AtomsyncConfig;
  targets: AccountTarget[];
  close(): Promise<void>;
}

export interface ComputedPrReport {
  report: PrReport;
  /** Account id → alias, for rendering. */
  aliases: Record<string, string>;
}

/** Reads the pins at base and head from git, then plans head against the live platform. */
export async function computePrReport(
  input: PrReportInput,
  openPlatform: (configFile: string) => Promise<OpenedPlatform>,
  onWarning: (warning: string) => void,
): Promise<ComputedPrReport> {
  const config = await loadConfig(input.configFile);
  const repository = await GitRepository.open(input.repository);
  const paths = await pinPathsInRepository(input.paths, config, repository.root);
  const namespaceOf = await pinNamespacesInRepository(paths, config, repository.root);
  const pins = await readPinsAtRefs(repository, { base: input.base, head: input.head }, paths, namespaceOf);
  for (const warning of pins.warnings) onWarning(warning);
  const platform = await openPlatform(input.configFile);
  try {
    const report = await buildPrReport(platform.targets, pins, planningOptions(platform.config));
    return { report, aliases: accountBookOf(platform.config).aliases() };
  } finally {
    await platform.close();
  }
}
