// AtomVersions suspended at run time (the dashboard's "Suspend", as `flux suspend` does for a Flux
// resource): the controller keeps observing them and following requests already in flight, but plans them
// as if `policy.suspend: true` were written in the pins, so it sends nothing to their runtime until they
// are resumed. Pins in git cannot be edited by the controller, so the suspension lives in the state folder
// (`suspended.json`) and survives restarts; the pins' own `policy.suspend` stays the durable, reviewed way.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DesiredAtomVersion } from '../domain/types.js';
import { writeFileAtomic } from '../util/atomic-write.js';

export interface Suspension {
  /** ISO-8601. */
  at: string;
  /** Who asked: `dashboard` (the dashboard's token holder) or `api`. */
  by: string;
}

const SUSPENSIONS_FILE = 'suspended.json';

export class Suspensions {
  private constructor(
    private readonly file: string,
    private readonly byKey: Map<string, Suspension>,
  ) {}

  /** Reads `<stateDir>/suspended.json`; a missing file means none. An unreadable one is an error: never forget a suspension. */
  static async open(stateDir: string): Promise<Suspensions> {
    const file = path.join(stateDir, SUSPENSIONS_FILE);
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    return new Suspensions(file, text === undefined ? new Map() : parseSuspensions(file, text));
  }

  get(key: string): Suspension | undefined {
    return this.byKey.get(key);
  }

  all(): ReadonlyMap<string, Suspension> {
    return this.byKey;
  }

  async suspend(key: string, suspension: Suspension): Promise<void> {
    if (this.byKey.has(key)) return;
    this.byKey.set(key, suspension);
    await this.save();
  }

  /** False when the key was not suspended here. */
  async resume(key: string): Promise<boolean> {
    if (!this.byKey.delete(key)) return false;
    await this.save();
    return true;
  }

  private async save(): Promise<void> {
    const body = Object.fromEntries([...this.byKey.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
    await writeFileAtomic(this.file, `${JSON.stringify(body, null, 2)}\n`);
  }
}

/** The AtomVersion as the planner must see it while suspended here. */
export function withSuspension(
  doc: DesiredAtomVersion,
  suspension: Suspension | undefined,
): DesiredAtomVersion {
  if (!suspension || doc.spec.policy.suspend) return doc;
  return { ...doc, spec: { ...doc.spec, policy: { ...doc.spec.policy, suspend: true } } };
}

function parseSuspensions(file: string, text: string): Map<string, Suspension> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message}); fix or remove it`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`${file}: expected an object of "namespace/name": { at, by }`);
  const byKey = new Map<string, Suspension>();
  for (const [key, value] of Object.entries(parsed)) {
    const entry = value as Partial<Suspension> | null;
    if (typeof entry?.at !== 'string' || typeof entry.by !== 'string')
      throw new Error(`${file}: "${key}" needs "at" and "by" strings`);
    byKey.set(key, { at: entry.at, by: entry.by });
  }
  return byKey;
}

/** A pin held by a run-time suspension says so, and how to lift it (not "edit policy.suspend"). */
export function explainSuspension<P extends { reason?: string; message: string; advice?: string }>(
  pin: P,
  suspension: Suspension | undefined,
): P {
  if (!suspension || pin.reason !== 'Suspended') return pin;
  return {
    ...pin,
    message: pin.message.replace('(policy.suspend)', `(suspended by ${suspension.by} at ${suspension.at})`),
    advice: 'resume it on the dashboard (Resume) or with POST /api/v1/atomversions/{namespace}/{name}/resume',
  };
}
