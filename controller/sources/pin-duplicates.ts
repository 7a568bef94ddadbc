// Two AtomVersions that pin the same runtime (or share a name) contradict each other; atomsync cannot
// know which one is meant, so it applies neither and names both places.

import type { PinProblem } from './pin-problem.js';
import type { Position } from '../yaml/yaml-positions.js';

export interface LoadedPin {
  key: string;
  account: string;
  runtime: { name?: string; id?: string };
  file: string;
  runtimeAt: Position;
  nameAt: Position;
}

export interface DuplicateFindings {
  problems: PinProblem[];
  /** Indexes (into the pins given) of the documents involved in any conflict. */
  conflicted: Set<number>;
}

/**
 * Finds conflicts among loaded pins; `conflicted` holds indexes into `pins`. With `runtimes: false` only
 * names are checked: the caller refuses pins of one runtime itself (domain/pin-refusals.ts, which also
 * knows aliases and runtime ids), as the controller does to give each of them a status.
 */
export function findDuplicates(pins: readonly LoadedPin[], options = { runtimes: true }): DuplicateFindings {
  const problems: PinProblem[] = [];
  const conflicted = new Set<number>();
  const reported = new Set<string>();
  const report = (
    groups: Map<string, number[]>,
    describe: (pin: LoadedPin, other: LoadedPin) => PinProblem,
  ) => {
    for (const indexes of groups.values()) {
      if (indexes.length < 2) continue;
      for (const index of indexes) {
        conflicted.add(index);
        for (const otherIndex of indexes.filter((i) => i !== index)) {
          const problem = describe(pins[index] as LoadedPin, pins[otherIndex] as LoadedPin);
          const id = `${index}:${otherIndex}:${problem.code}`;
          if (!reported.has(id)) problems.push(problem);
          reported.add(id);
        }
      }
    }
  };
  if (options.runtimes) report(groupBy(pins, runtimeIdentities), runtimeConflict);
  report(
    groupBy(pins, (pin) => [pin.key]),
    nameConflict,
  );
  return { problems, conflicted };
}

function runtimeIdentities(pin: LoadedPin): string[] {
  const ids: string[] = [];
  if (pin.runtime.name !== undefined) ids.push(`${pin.account}\u0000name\u0000${pin.runtime.name}`);
  if (pin.runtime.id !== undefined) ids.push(`${pin.account}\u0000id\u0000${pin.runtime.id}`);
  return ids;
}

function groupBy(pins: readonly LoadedPin[], keysOf: (pin: LoadedPin) => string[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  pins.forEach((pin, index) => {
    for (const key of new Set(keysOf(pin))) groups.set(key, [...(groups.get(key) ?? []), index]);
  });
  return groups;
}

function where(pin: LoadedPin, at: Position): string {
  return `${pin.file}:${at.line}:${at.col}`;
}

function runtimeConflict(pin: LoadedPin, other: LoadedPin): PinProblem {
  const runtime =
    pin.runtime.name !== undefined ? `runtime '${pin.runtime.name}'` : `runtime id '${pin.runtime.id}'`;
  return {
    file: pin.file,
    ...pin.runtimeAt,
    path: 'spec.runtime',
    code: 'DuplicateRuntime',
    message:
      `${runtime} of account ${pin.account} is also pinned by ${other.key} at ${where(other, other.runtimeAt)}; ` +
      'a runtime may be pinned by one AtomVersion only, so neither is applied',
  };
}

function nameConflict(pin: LoadedPin, other: LoadedPin): PinProblem {
  return {
    file: pin.file,
    ...pin.nameAt,
    path: 'metadata.name',
    code: 'DuplicateName',
    message: `AtomVersion ${pin.key} is also defined at ${where(other, other.nameAt)}; names must be unique per namespace, so neither is applied`,
  };
}
