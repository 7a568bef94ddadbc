// The three-way pull-request report: what the PR changes in the pins (base → head), how the live
// platform differs from head (drift), and what apply would do after the merge (head planned against the
// live snapshot, with blocked pins and their reasons).

import type { DesiredAtomVersion, Plan } from '../domain/types.js';
import type { PlanningOptions } from '../pipeline/observe-and-plan.js';
import type { AccountTarget } from '../platform/observe.js';
import { diffPins, type PinChange } from '../report/pin-changes.js';
import { formatProblem } from '../sources/load-pins.js';
import type { GitRepository } from './git-repository.js';
import { readPinsAtCommit, type NamespaceOfFile, type PinsAtCommit } from './pins-at-commit.js';
import { planWithApplyPrivilege } from '../pipeline/elevated-plan.js';
import { PrReportError } from './pr-error.js';

export interface CommitRef {
  /** The ref as given (`main`, `origin/main`, a SHA). */
  ref: string;
  sha: string;
}

export interface PrReport {
  base?: CommitRef;
  head?: CommitRef;
  /** Base → head; absent when the report was made without a base. */
  pinChanges?: PinChange[];
  plan: Plan;
}

export interface PinsAtRefs {
  base: CommitRef;
  head: CommitRef;
  baseDesired: DesiredAtomVersion[];
  headDesired: DesiredAtomVersion[];
  /** Said to the user, not fatal: problems in the base pins, folders missing at one side. */
  warnings: string[];
}

/** Reads the pins at both refs. Problems at head stop the report; problems at base are warnings. */
export async function readPinsAtRefs(
  repository: GitRepository,
  refs: { base: string; head: string },
  paths: readonly string[],
  namespaceOf?: NamespaceOfFile,
): Promise<PinsAtRefs> {
  const base = { ref: refs.base, sha: await repository.resolveCommit(refs.base, '--base') };
  const head = { ref: refs.head, sha: await repository.resolveCommit(refs.head, '--head') };
  const atBase = await readPinsAtCommit(repository, base.sha, paths, namespaceOf);
  const atHead = await readPinsAtCommit(repository, head.sha, paths, namespaceOf);
  if (atBase.missingPaths.length === paths.length && atHead.missingPaths.length === paths.length) {
    throw new PrReportError(
      'PinsNotFound',
      `neither ${refs.base} nor ${refs.head} has ${describePaths(paths)}; pass --path with the pins folder inside the repository`,
    );
  }
  if (atHead.problems.length > 0) throw invalidHead(refs.head, atHead);
  return {
    base,
    head,
    baseDesired: atBase.desired,
    headDesired: atHead.desired,
    warnings: [...warningsFor('base', refs.base, atBase), ...warningsFor('head', refs.head, atHead)],
  };
}

/** Plans head against the live platform and adds the pin changes of the PR. */
export async function buildPrReport(
  targets: readonly AccountTarget[],
  pins: PinsAtRefs,
  options: PlanningOptions,
): Promise<PrReport> {
  const { plan } = await planWithApplyPrivilege(targets, pins.headDesired, options);
  return {
    base: pins.base,
    head: pins.head,
    pinChanges: diffPins(pins.baseDesired, pins.headDesired),
    plan,
  };
}

function invalidHead(ref: string, pins: PinsAtCommit): PrReportError {
  const lines = pins.problems.map((problem) => `  ${formatProblem(problem)}`);
  return new PrReportError(
    'InvalidPins',
    `the pins at ${ref} (${pins.sha.slice(0, 12)}) have ${pins.problems.length} problem(s); nothing was planned:\n${lines.join('\n')}`,
  );
}

function warningsFor(side: 'base' | 'head', ref: string, pins: PinsAtCommit): string[] {
  const warnings = pins.missingPaths.map(
    (path) => `${side} ${ref} has no ${describePath(path)}: its pins count as absent`,
  );
  const first = pins.problems[0];
  if (side === 'base' && first) {
    warnings.push(
      `the pins at base ${ref} have ${pins.problems.length} problem(s) (first: ${formatProblem(first)}); ` +
        'the pin changes compare against the documents that loaded',
    );
  }
  return warnings;
}

function describePaths(paths: readonly string[]): string {
  return paths.map(describePath).join(' or ');
}

function describePath(path: string): string {
  return path === '' ? 'pins at the top of the repository' : path;
}
