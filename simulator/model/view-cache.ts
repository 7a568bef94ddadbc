// Views the API serves again and again (the wire form of a runtime, its versions), kept while the state is
// unchanged: reads come by the thousand between two writes. An entry holds for the state generation it
// was built in (core.ts) and for one `variant`: whatever else the view depends on, such as whether a
// release window is open at the current time.
// Views are deeply frozen: no caller can change what another one gets, and the HTTP layer may keep the JSON
// of a frozen object (simulator/http/json-text.ts). So a builder must return objects of its own, never a
// part of the state (freezing it would make the state unchangeable).
import type { WorldCore } from './core.js';

type Variant = string | number | boolean;

interface Entry<T> {
  generation: number;
  variant: Variant;
  view: T;
}

export class ViewCache<T extends object> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly core: WorldCore) {}

  /** The view of `key`, built (and frozen) only when the state or the variant changed since last time. */
  get(key: string, variant: Variant, build: () => T): T {
    const entry = this.entries.get(key);
    const generation = this.core.generation;
    if (entry?.generation === generation && entry.variant === variant) return entry.view;
    const view = deepFreeze(build());
    this.entries.set(key, { generation, variant, view });
    return view;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}
