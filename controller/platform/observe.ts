// Reading what runs, with the fewest calls (issue: never one GET per runtime). For an account with N
// runtimes of which P are pinned (K with pack pins), a snapshot costs:
//   2 (principal: AccountUserRole query + Role bulk)  +  ceil(N/100) Atom query pages
//   + ceil(P/100) AtomVersions bulk  (+ ceil(P/100) AtomConnectorVersions bulk only without the extension)
//   + ceil(K/100) IntegrationPackVersions bulk
//   + ceil(S/100) RuntimeReleaseSchedule bulk, S = pinned runtimes whose pins declare a releaseSchedule, or
//     every pinned runtime when the platform has no version actions (the schedule is then atomsync's lever).
// Atom.forceRestartTime comes with the Atom query.
// Environments are read only for runtimes a plan wants to change (enrichEnvironments), since only the
// restart waves (TEST before PROD) and pack reattachment need them.
import type {
  AccountSnapshot,
  Capabilities,
  ComponentState,
  ObservedSchedule,
  OutstandingRequest,
  PackState,
  Principal,
  RuntimeRef,
  RuntimeState,
} from '../domain/types.js';
import type { AtomSphereClient, BulkGetResult } from './client.js';
import { NotFoundError, PlatformError } from './errors.js';
import {
  ATOM,
  ATOM_CONNECTOR_VERSIONS,
  ATOM_VERSIONS,
  ENVIRONMENT,
  ENVIRONMENT_ATOM_ATTACHMENT,
  INTEGRATION_PACK_VERSIONS,
  RELEASE_SCHEDULE,
} from './answer-shapes.js';
import { equalsAny, MATCH_ALL } from './query-expression.js';
import type {
  Atom,
  AtomConnectorVersions,
  AtomVersionEntry,
  AtomVersions,
  Environment,
  EnvironmentAtomAttachment,
  IntegrationPackVersionEntry,
  IntegrationPackVersions,
  RuntimeReleaseSchedule,
} from './wire.js';
import { readPrincipal } from './principal.js';

export interface ObserveScope {
  /** Runtimes pinned in this account: their versions are read. */
  runtimes: RuntimeRef[];
  /** Pinned runtimes with pack pins: their integration pack versions are read. */
  withPacks: RuntimeRef[];
  /** Pinned runtimes whose pins declare a releaseSchedule: their RuntimeReleaseSchedule is read. */
  withSchedule?: RuntimeRef[];
  /** Read every runtime in depth (for `atomsync import`). */
  all?: boolean;
}

export interface AccountTarget {
  accountId: string;
  alias?: string;
  client: AtomSphereClient;
}

/**
 * Reads one account. Platform errors become `error` on the snapshot so other accounts still plan.
 * `principal`: the credential's privileges as read moments ago, for the same user (not read again).
 */
export async function observeAccount(
  target: AccountTarget,
  scope: ObserveScope,
  known: { principal?: Principal } = {},
): Promise<AccountSnapshot> {
  const base = { accountId: target.accountId, ...(target.alias ? { alias: target.alias } : {}) };
  try {
    const userId = await target.client.currentUserId();
    const principal =
      known.principal?.userId === userId ? known.principal : await readPrincipal(target.client, userId);
    const atoms = await target.client.queryAll<Atom>('Atom', MATCH_ALL, ATOM);
    const runtimes = atoms.map((atom) => runtimeFromAtom(atom, target.accountId));
    const pinned = scope.all ? runtimes : selectRuntimes(runtimes, scope.runtimes);
    const withPacks = scope.all ? runtimes : selectRuntimes(runtimes, scope.withPacks);
    const versionActions = await readComponents(target.client, pinned);
    const packActions = await readPacks(target.client, withPacks);
    const scheduled =
      scope.all || !versionActions ? pinned : selectRuntimes(runtimes, scope.withSchedule ?? []);
    await readSchedules(target.client, scheduled);
    const capabilities: Capabilities = { versionActions, packActions };
    return { ...base, principal, capabilities, runtimes };
  } catch (err) {
    if (err instanceof PlatformError) {
      return {
        ...base,
        principal: { userId: target.client.userId, privileges: [] },
        capabilities: { versionActions: false, packActions: false },
        runtimes: [],
        error: { code: err.code, message: err.message },
      };
    }
    throw err;
  }
}

/** Fills environment and classification for the given runtimes: one Environment query + attachment pages. */
export async function enrichEnvironments(
  client: AtomSphereClient,
  account: AccountSnapshot,
  runtimeIds: readonly string[],
): Promise<void> {
  const ids = new Set(runtimeIds);
  const wanted = account.runtimes.filter((r) => ids.has(r.id) && r.environmentId === undefined);
  if (wanted.length === 0) return;
  const attachments: EnvironmentAtomAttachment[] = [];
  for (const chunk of chunks(
    wanted.map((r) => r.id),
    100,
  )) {
    attachments.push(
      ...(await client.queryAll<EnvironmentAtomAttachment>(
        'EnvironmentAtomAttachment',
        equalsAny('atomId', chunk),
        ENVIRONMENT_ATOM_ATTACHMENT,
      )),
    );
  }
  const environments = new Map(
    (await client.queryAll<Environment>('Environment', MATCH_ALL, ENVIRONMENT)).map(
      (env) => [env.id, env] as const,
    ),
  );
  const byAtom = new Map(attachments.map((a) => [a.atomId, a.environmentId] as const));
  for (const runtime of wanted) {
    const environment = environments.get(byAtom.get(runtime.id) ?? '');
    if (!environment) continue;
    runtime.environmentId = environment.id;
    runtime.environmentName = environment.name;
    if (environment.classification) runtime.classification = environment.classification;
  }
}

function runtimeFromAtom(atom: Atom, accountId: string): RuntimeState {
  const runtime: RuntimeState = {
    id: atom.id,
    name: atom.name,
    type: atom.type,
    status: atom.status,
    accountId,
    // A cloud attachment runs on a cloud someone else manages: its versions cannot be changed here (R4).
    owned: atom.isCloudAttachment !== true,
    components: atom.currentVersion ? [{ name: 'Atom', version: atom.currentVersion }] : [],
    packs: [],
    outstanding: [],
  };
  if (atom.forceRestartTime !== undefined) runtime.forceRestartTime = atom.forceRestartTime;
  if (atom.statusDetail === 'RESTARTING') runtime.restarting = true;
  return runtime;
}

function selectRuntimes(runtimes: RuntimeState[], refs: readonly RuntimeRef[]): RuntimeState[] {
  const ids = new Set(refs.flatMap((ref) => (ref.id ? [ref.id] : [])));
  const names = new Set(refs.flatMap((ref) => (ref.name && !ref.id ? [ref.name] : [])));
  return runtimes.filter((runtime) => ids.has(runtime.id) || names.has(runtime.name));
}

/** AtomVersions bulk; on a platform without it, AtomConnectorVersions bulk. Returns versionActions. */
async function readComponents(client: AtomSphereClient, runtimes: RuntimeState[]): Promise<boolean> {
  if (runtimes.length === 0) return true;
  const ids = runtimes.map((r) => r.id);
  try {
    const { items } = await client.bulkGet<AtomVersions>('AtomVersions', ids, ATOM_VERSIONS);
    for (const runtime of runtimes) {
      const entries = items.get(runtime.id)?.AtomVersion;
      if (entries) applyComponents(runtime, entries.map(componentFromEntry));
    }
    return true;
  } catch (err) {
    if (!isMissingObject(err)) throw err;
  }
  const { items } = await client.bulkGet<AtomConnectorVersions>(
    'AtomConnectorVersions',
    ids,
    ATOM_CONNECTOR_VERSIONS,
  );
  for (const runtime of runtimes) {
    const entries = items.get(runtime.id)?.ConnectorVersion ?? [];
    applyComponents(
      runtime,
      entries.map((entry) => ({ name: entry.name, version: entry.version })),
    );
  }
  return false;
}

function applyComponents(runtime: RuntimeState, components: ComponentState[]): void {
  if (components.length === 0) return;
  runtime.components = components;
  runtime.outstanding = outstandingRequests(components, 'AtomVersionUpdateRequest');
}

function componentFromEntry(entry: AtomVersionEntry): ComponentState {
  const component: ComponentState = { name: entry.name, version: entry.version };
  if (entry.pendingVersion !== undefined) component.pendingVersion = entry.pendingVersion;
  if (entry.pendingSource !== undefined) component.pendingSource = entry.pendingSource;
  if (entry.rollbackVersion !== undefined) component.rollbackVersion = entry.rollbackVersion;
  if (entry.pendingRequiresAtomVersion !== undefined)
    component.pendingRequiresAtomVersion = entry.pendingRequiresAtomVersion;
  if (entry.outstandingRequestId !== undefined) component.outstandingRequestId = entry.outstandingRequestId;
  if (entry.lastUpdated !== undefined) component.lastUpdated = entry.lastUpdated;
  return component;
}

/** Groups the entries that name an outstanding request (R6) into one OutstandingRequest each. */
function outstandingRequests(
  entries: readonly { name: string; outstandingRequestId?: string }[],
  kind: OutstandingRequest['kind'],
): OutstandingRequest[] {
  const byRequest = new Map<string, string[]>();
  for (const entry of entries) {
    if (!entry.outstandingRequestId) continue;
    byRequest.set(entry.outstandingRequestId, [
      ...(byRequest.get(entry.outstandingRequestId) ?? []),
      entry.name,
    ]);
  }
  return [...byRequest].map(([id, names]) => ({ id, kind, components: names, status: 'OUTSTANDING' }));
}

/** IntegrationPackVersions bulk. Returns packActions (false when the platform lacks the extension). */
async function readPacks(client: AtomSphereClient, runtimes: RuntimeState[]): Promise<boolean> {
  if (runtimes.length === 0) return true;
  try {
    const { items } = await client.bulkGet<IntegrationPackVersions>(
      'IntegrationPackVersions',
      runtimes.map((r) => r.id),
      INTEGRATION_PACK_VERSIONS,
    );
    for (const runtime of runtimes) {
      const entries = items.get(runtime.id)?.IntegrationPackVersion ?? [];
      runtime.packs = entries.map(packFromEntry);
      runtime.outstanding.push(...outstandingRequests(entries, 'IntegrationPackPendingUpdateRequest'));
    }
    return true;
  } catch (err) {
    if (isMissingObject(err)) return false;
    throw err;
  }
}

function packFromEntry(entry: IntegrationPackVersionEntry): PackState {
  const pack: PackState = {
    integrationPackInstanceId: entry.integrationPackInstanceId,
    integrationPackId: entry.integrationPackId,
    name: entry.name,
    version: entry.version,
  };
  if (entry.pendingVersion !== undefined) pack.pendingVersion = entry.pendingVersion;
  if (entry.releaseOnDate !== undefined) pack.releaseOnDate = entry.releaseOnDate;
  if (entry.lastUpdateDate !== undefined) pack.lastUpdateDate = entry.lastUpdateDate;
  if (entry.applyBlockedReason !== undefined) pack.applyBlockedReason = entry.applyBlockedReason;
  if (entry.appliedEarly !== undefined) pack.appliedEarly = entry.appliedEarly;
  if (entry.environmentIds !== undefined) pack.environmentIds = entry.environmentIds;
  return pack;
}

/** RuntimeReleaseSchedule bulk: `null` for a runtime the platform has no schedule for (404 for its id). */
async function readSchedules(client: AtomSphereClient, runtimes: RuntimeState[]): Promise<void> {
  if (runtimes.length === 0) return;
  let result: BulkGetResult<RuntimeReleaseSchedule>;
  try {
    result = await client.bulkGet<RuntimeReleaseSchedule>(
      'RuntimeReleaseSchedule',
      runtimes.map((r) => r.id),
      RELEASE_SCHEDULE,
    );
  } catch (err) {
    if (isMissingObject(err)) return;
    throw err;
  }
  // Boomi answers an id it does not have with a 400 item ("… ID … is invalid"); some answers say 404.
  const missing = new Set(
    result.errors.filter((e) => e.statusCode === 400 || e.statusCode === 404).map((e) => e.id),
  );
  for (const runtime of runtimes) {
    const found = result.items.get(runtime.id);
    if (found) runtime.releaseSchedule = observedSchedule(found);
    else if (missing.has(runtime.id)) runtime.releaseSchedule = null;
  }
}

function observedSchedule(wire: RuntimeReleaseSchedule): ObservedSchedule {
  const schedule: ObservedSchedule = { scheduleType: wire.scheduleType };
  if (wire.dayOfWeek !== undefined) schedule.dayOfWeek = wire.dayOfWeek;
  if (wire.hourOfDay !== undefined) schedule.hourOfDay = wire.hourOfDay;
  if (wire.timeZone !== undefined) schedule.timeZone = wire.timeZone;
  return schedule;
}

/** A whole bulk call answered 404/410: the platform does not have the object at all. */
function isMissingObject(err: unknown): boolean {
  return err instanceof NotFoundError || (err instanceof PlatformError && err.status === 410);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The versions of these runtimes now, read again before a later wave is sent: one AtomVersions bulk (per
 * 100 runtimes), and one IntegrationPackVersions bulk for the runtimes in `withPacks`.
 */
export async function rereadRuntimes(
  client: AtomSphereClient,
  runtimeIds: readonly string[],
  withPacks: readonly string[],
): Promise<Map<string, RuntimeState>> {
  const runtimes = new Map(
    runtimeIds.map((id) => [
      id,
      {
        id,
        name: id,
        type: 'ATOM',
        status: 'UNKNOWN',
        accountId: '',
        owned: true,
        components: [],
        packs: [],
        outstanding: [],
      } satisfies RuntimeState as RuntimeState,
    ]),
  );
  await readComponents(client, [...runtimes.values()]);
  await readPacks(
    client,
    withPacks.flatMap((id) => runtimes.get(id) ?? []),
  );
  return runtimes;
}
