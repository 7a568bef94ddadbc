// A saved plan (`atomsync plan --out plan.json`, docs/plan-format.md) is applied only while it still
// describes the world: the same pins and config (by hash), the same versions on the platform for every
// runtime it was made from, and — planned again now — the same requests. Otherwise it is stale, and each
// difference is named so a person can see what moved. Pure: the CLI reads files and the platform.
import { compareText } from './waves.js';
import type {
  BlockedReason,
  ComponentState,
  PackState,
  Plan,
  PlannedRequest,
  RuntimeState,
  Snapshot,
} from './types.js';

/** What a plan was made from, besides the platform: the config file and each pin (by content hash). */
export interface PlanInputs {
  /** sha256 over the config's hash and every pin's key and hash. */
  hash: string;
  config: { file: string; hash: string };
  pins: { key: string; file?: string; hash: string }[];
  /** The git commit of the pins, when they are in a git repository. */
  revision?: string;
  /** --target as given when planning (empty: every account). */
  target: string[];
}

export interface ObservedComponent {
  name: string;
  version: string;
  pendingVersion?: string;
  rollbackVersion?: string;
  outstandingRequestId?: string;
}

export interface ObservedPack {
  integrationPackInstanceId: string;
  name: string;
  version: number;
  pendingVersion?: number;
  applyBlockedReason?: string;
}

/** One runtime as the platform showed it when the plan was made. */
export interface ObservedRuntime {
  accountId: string;
  runtimeId: string;
  runtimeName: string;
  status: RuntimeState['status'];
  components: ObservedComponent[];
  packs: ObservedPack[];
}

export interface Diagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail?: string;
  /** The AtomVersion it is about, when it is about one. */
  key?: string;
}

/** Every runtime a pin of the plan resolved to, with the versions the plan relied on. */
export function observedRuntimes(plan: Plan, snapshot: Snapshot): ObservedRuntime[] {
  const ids = new Set(
    plan.pins.flatMap((pin) => (pin.runtimeId ? [`${pin.accountId}\u0000${pin.runtimeId}`] : [])),
  );
  const observed: ObservedRuntime[] = [];
  for (const account of Object.values(snapshot.accounts)) {
    for (const runtime of account.runtimes) {
      if (ids.has(`${account.accountId}\u0000${runtime.id}`))
        observed.push(observedRuntime(runtime, account.accountId));
    }
  }
  return observed.sort(
    (a, b) =>
      compareText(a.accountId, b.accountId) ||
      compareText(a.runtimeName, b.runtimeName) ||
      compareText(a.runtimeId, b.runtimeId),
  );
}

function observedRuntime(runtime: RuntimeState, accountId: string): ObservedRuntime {
  return {
    accountId,
    runtimeId: runtime.id,
    runtimeName: runtime.name,
    status: runtime.status,
    components: runtime.components.map(observedComponent),
    packs: runtime.packs.map(observedPack),
  };
}

function observedComponent(component: ComponentState): ObservedComponent {
  const observed: ObservedComponent = { name: component.name, version: component.version };
  if (component.pendingVersion !== undefined) observed.pendingVersion = component.pendingVersion;
  if (component.rollbackVersion !== undefined) observed.rollbackVersion = component.rollbackVersion;
  if (component.outstandingRequestId !== undefined)
    observed.outstandingRequestId = component.outstandingRequestId;
  return observed;
}

function observedPack(pack: PackState): ObservedPack {
  const observed: ObservedPack = {
    integrationPackInstanceId: pack.integrationPackInstanceId,
    name: pack.name,
    version: pack.version,
  };
  if (pack.pendingVersion !== undefined) observed.pendingVersion = pack.pendingVersion;
  if (pack.applyBlockedReason !== undefined) observed.applyBlockedReason = pack.applyBlockedReason;
  return observed;
}

/** What changed in the pins or the config since the plan; empty when the hashes agree. */
export function inputChanges(saved: PlanInputs, now: PlanInputs): string[] {
  if (saved.hash === now.hash && sameList(saved.target, now.target)) return [];
  const changes: string[] = [];
  if (!sameList(saved.target, now.target))
    changes.push(`--target was ${listText(saved.target)}, now ${listText(now.target)}`);
  if (saved.config.hash !== now.config.hash) changes.push(`the config ${now.config.file} changed`);
  const before = new Map(saved.pins.map((pin) => [pin.key, pin]));
  const after = new Map(now.pins.map((pin) => [pin.key, pin]));
  for (const [key, pin] of after) {
    const old = before.get(key);
    if (!old) changes.push(`pin ${key} was added${inFile(pin.file)}`);
    else if (old.hash !== pin.hash) changes.push(`pin ${key} changed${inFile(pin.file)}`);
  }
  for (const [key, pin] of before)
    if (!after.has(key)) changes.push(`pin ${key} was removed${inFile(pin.file)}`);
  if (changes.length === 0) changes.push('the pins or the config changed');
  return changes;
}

/** What moved on the platform for the runtimes the plan was made from. */
export function platformChanges(
  saved: readonly ObservedRuntime[],
  now: readonly ObservedRuntime[],
): string[] {
  const current = new Map(now.map((runtime) => [`${runtime.accountId}\u0000${runtime.runtimeId}`, runtime]));
  const changes: string[] = [];
  for (const before of saved) {
    const label = `${before.runtimeName} (${before.accountId})`;
    const after = current.get(`${before.accountId}\u0000${before.runtimeId}`);
    if (!after) {
      changes.push(`${label} is no longer read by this plan or not on the platform`);
      continue;
    }
    if (before.status !== after.status) changes.push(`${label} was ${before.status}, now ${after.status}`);
    changes.push(...moved(label, before.components, after.components, (c) => c.name, describeComponent));
    changes.push(
      ...moved(label, before.packs, after.packs, (p) => p.integrationPackInstanceId, describePack),
    );
  }
  return changes;
}

function moved<T extends { name: string }>(
  label: string,
  before: readonly T[],
  after: readonly T[],
  idOf: (item: T) => string,
  describe: (item: T) => string,
): string[] {
  const now = new Map(after.map((item) => [idOf(item), item]));
  const changes: string[] = [];
  for (const item of before) {
    const later = now.get(idOf(item));
    const was = describe(item);
    const is = later ? describe(later) : 'gone';
    if (was !== is) changes.push(`${label}: ${item.name} was ${was}, now ${is}`);
  }
  const known = new Set(before.map(idOf));
  for (const item of after)
    if (!known.has(idOf(item))) changes.push(`${label}: ${item.name} appeared (${describe(item)})`);
  return changes;
}

function describeComponent(component: ObservedComponent): string {
  const parts = [component.version];
  if (component.pendingVersion !== undefined) parts.push(`pending ${component.pendingVersion}`);
  if (component.rollbackVersion !== undefined) parts.push(`rollback ${component.rollbackVersion}`);
  if (component.outstandingRequestId !== undefined)
    parts.push(`request ${component.outstandingRequestId} in progress`);
  return parts.join(', ');
}

function describePack(pack: ObservedPack): string {
  const parts = [String(pack.version)];
  if (pack.pendingVersion !== undefined) parts.push(`pending ${pack.pendingVersion}`);
  if (pack.applyBlockedReason !== undefined) parts.push(`blocked ${pack.applyBlockedReason}`);
  return parts.join(', ');
}

/**
 * Planned again now from the same pins and versions, would the requests differ? (Time alone can do it: a
 * maintenance window closed, a release date passed.) Names the requests only one of the plans has.
 */
export function requestChanges(saved: readonly PlannedRequest[], now: readonly PlannedRequest[]): string[] {
  const before = new Set(saved.map(requestIdentity));
  const after = new Set(now.map(requestIdentity));
  return [
    ...saved
      .filter((r) => !after.has(requestIdentity(r)))
      .map((r) => `planned now, ${describeRequest(r)} would not be sent`),
    ...now
      .filter((r) => !before.has(requestIdentity(r)))
      .map((r) => `planned now, ${describeRequest(r)} would be sent too`),
  ];
}

function requestIdentity(request: PlannedRequest): string {
  return JSON.stringify([
    request.wave,
    request.accountId,
    request.runtimeId,
    request.kind,
    request.action ?? '',
    request.components,
    request.environmentId ?? '',
    (request.expected ?? []).map((e) => [e.name, e.integrationPackInstanceId ?? '', e.current, e.target]),
    request.releaseSchedule ?? null,
    request.forceRestartTime ?? null,
  ]);
}

function describeRequest(request: PlannedRequest): string {
  const what =
    request.kind === 'AtomVersionUpdateRequest'
      ? `${request.action ?? ''} ${request.components.join(', ')}`
      : `${request.kind} ${request.components.join(', ')}`;
  return `wave ${request.wave} ${what} on ${request.runtimeName} (${request.accountId})`;
}

const UNPLANNABLE: readonly BlockedReason[] = ['RuntimeNotFound', 'AccountUnavailable', 'AccountNotAllowed'];

/** What a reader of the plan should know besides the outcomes: pins that name nothing, manual-only platforms. */
export function planDiagnostics(plan: Plan, snapshot: Snapshot): Diagnostic[] {
  const diagnostics: Diagnostic[] = plan.blocked
    .filter((pin) => pin.reason !== undefined && UNPLANNABLE.includes(pin.reason))
    .map((pin) => ({
      severity: 'error' as const,
      summary: `${pin.key}: ${pin.kind} ${pin.name} cannot be planned (${pin.reason ?? ''})`,
      detail: pin.advice ? `${pin.message}; ${pin.advice}` : pin.message,
      key: pin.key,
    }));
  for (const account of Object.values(snapshot.accounts)) {
    if (account.error || (account.capabilities.versionActions && account.capabilities.packActions)) continue;
    diagnostics.push({
      severity: 'warning',
      summary: `account ${account.accountId}: the platform lacks atomsync's extension objects`,
      detail:
        'changes there are manual steps (the UI steps are in the plan) and are verified on the next plan',
    });
  }
  return diagnostics;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

function listText(values: readonly string[]): string {
  return values.length === 0 ? 'every account' : values.join(', ');
}

function inFile(file: string | undefined): string {
  return file ? ` (${file})` : '';
}
