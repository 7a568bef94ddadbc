// What a pull request changes in the pins (the first section of the three-way PR report): computed
// from the desired state at the PR's base and at its head.

import type { DesiredAtomVersion, PinKind } from '../domain/types.js';
import { RUNTIME_COMPONENT } from '../domain/types.js';
import { KIND_ORDER } from './plan-layout.js';

export interface PinChange {
  /** The AtomVersion (`namespace/name`). */
  key: string;
  kind: PinKind;
  /** Component or pack name (`Atom` for the runtime). */
  name: string;
  /** The pin as written before (`24.11.0`, `channel:released`, `8`); absent when added. */
  before?: string;
  /** The pin as written after; absent when removed. */
  after?: string;
  change: 'added' | 'removed' | 'changed';
}

/** The pins that differ between two desired sets, ordered by AtomVersion, kind and name. */
export function diffPins(
  before: readonly DesiredAtomVersion[],
  after: readonly DesiredAtomVersion[],
): PinChange[] {
  const old = pinIndex(before);
  const now = pinIndex(after);
  const changes: PinChange[] = [];
  for (const id of new Set([...old.keys(), ...now.keys()])) {
    const was = old.get(id);
    const is = now.get(id);
    if (was?.value === is?.value) continue;
    const ref = (is ?? was) as IndexedPin;
    const change: PinChange = {
      key: ref.key,
      kind: ref.kind,
      name: ref.name,
      change: was === undefined ? 'added' : is === undefined ? 'removed' : 'changed',
    };
    if (was) change.before = was.value;
    if (is) change.after = is.value;
    changes.push(change);
  }
  return changes.sort(comparePinChanges);
}

interface IndexedPin {
  key: string;
  kind: PinKind;
  name: string;
  value: string;
}

function pinIndex(documents: readonly DesiredAtomVersion[]): Map<string, IndexedPin> {
  const index = new Map<string, IndexedPin>();
  const add = (key: string, kind: PinKind, name: string, value: string | undefined): void => {
    if (value !== undefined) index.set(JSON.stringify([key, kind, name]), { key, kind, name, value });
  };
  for (const document of documents) {
    const { spec, key } = document;
    add(key, 'runtime', RUNTIME_COMPONENT, written(spec.version, spec.channel));
    for (const pin of spec.connectors) add(key, 'connector', pin.name, written(pin.version, pin.channel));
    for (const pin of spec.integrationPacks) {
      add(
        key,
        'pack',
        pin.name,
        written(pin.version === undefined ? undefined : String(pin.version), pin.channel),
      );
    }
  }
  return index;
}

function written(version: string | undefined, channel: string | undefined): string | undefined {
  if (version !== undefined) return version;
  return channel === undefined ? undefined : `channel:${channel}`;
}

function comparePinChanges(a: PinChange, b: PinChange): number {
  return (
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) ||
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
}
