// Who changed it (issue 12, Deliver 4): the platform's AuditLog names who moved a runtime's version — a
// person in the UI (as.atom / as.connector UPDATE or ROLLBACK, source UI), an API request, the release
// schedule or the Platform Release. A version pin whose runtime runs a version the pin did not ask for, or
// that now runs what a manual task asked for, is given the entry behind the version it runs:
// "Atom 26.12.0 applied in the UI by jane@acme.example at 2026-12-03 10:32 UTC".
import type { Plan, PinResult } from './types.js';

/** The parts of an AuditLog entry attribution reads (controller/platform/audit-log.ts reads them). */
export interface AuditFact {
  date: string;
  userId?: string;
  type: string;
  action: string;
  source?: string;
  containerId?: string;
  properties: { name: string; value?: string; previousValue?: string }[];
}

const VERBS: Record<string, string> = {
  UPDATE: 'applied',
  APPLY_PENDING: 'applied',
  ROLLBACK: 'rolled back',
  PLATFORM_RELEASE: 'set by the Platform Release',
};

/** The plan with `changedBy` on each version pin the entries explain (entries of the pins' accounts). */
export function attributeChanges(plan: Plan, entries: ReadonlyMap<string, readonly AuditFact[]>): Plan {
  return mapPins(plan, (pin) => {
    const entry = entryBehind(pin, entries.get(pin.accountId) ?? []);
    return entry ? { ...pin, changedBy: describeEntry(pin, entry) } : pin;
  });
}

/** What an earlier pass knew of a pin: its version then, and who had changed it. */
export interface KnownChange {
  kind: string;
  name: string;
  current?: string;
  outcome?: string;
  changedBy?: string;
}

/**
 * The plan with the `changedBy` an earlier pass found kept on the pins of `key` that still run the same
 * version: who changed a version does not change until the version does (`run` reads the AuditLog only
 * while something is to be explained, and its status must not forget the answer in between).
 */
export function carryChangedBy(plan: Plan, key: string, before: readonly KnownChange[]): Plan {
  return mapPins(plan, (pin) => {
    if (pin.key !== key || pin.changedBy !== undefined || pin.current === undefined) return pin;
    const known = before.find((old) => old.kind === pin.kind && old.name === pin.name);
    return known?.changedBy && known.current === pin.current ? { ...pin, changedBy: known.changedBy } : pin;
  });
}

/** The plan with each pin replaced (blocked and manual are the same pins, listed again). */
function mapPins(plan: Plan, change: (pin: PinResult) => PinResult): Plan {
  const pins = plan.pins.map(change);
  const byIdentity = new Map(plan.pins.map((pin, index) => [pin, pins[index]!] as const));
  return {
    ...plan,
    pins,
    blocked: plan.blocked.map((pin) => byIdentity.get(pin) ?? pin),
    manual: plan.manual.map((pin) => byIdentity.get(pin) ?? pin),
  };
}

/**
 * The newest entry that set this pin's component to the version it runs now. A person's UI click comes
 * first, then an API call, then the platform's own bookkeeping (INTERNAL): one change can leave several
 * entries (the click, then the platform's record of the version applied after the restart).
 */
function entryBehind(pin: PinResult, entries: readonly AuditFact[]): AuditFact | undefined {
  if ((pin.kind !== 'runtime' && pin.kind !== 'connector') || pin.current === undefined) return undefined;
  if (!pin.runtimeId) return undefined;
  const matching = entries.filter(
    (entry) =>
      entry.containerId === pin.runtimeId &&
      VERBS[entry.action] !== undefined &&
      entry.properties.some((p) => p.name === pin.name && p.value === pin.current),
  );
  const newestFirst = [...matching].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  for (const source of ['UI', 'API']) {
    const made = newestFirst.find((entry) => entry.source === source);
    if (made) return made;
  }
  return newestFirst[0];
}

function describeEntry(pin: PinResult, entry: AuditFact): string {
  const label = pin.kind === 'runtime' ? pin.name : `connector ${pin.name}`;
  const where = entry.source === 'UI' ? ' in the UI' : entry.source === 'API' ? ' through the API' : '';
  const by = entry.userId ? ` by ${entry.userId}` : '';
  return `${label} ${pin.current} ${VERBS[entry.action]}${where}${by} at ${auditTime(entry.date)} (AuditLog ${entry.type} ${entry.action})`;
}

/** `2026-12-03 10:32 UTC`. */
function auditTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
