// The simulated platform: state + rules + clock behind the WorldPort seam the HTTP layer uses.
import { timingSafeEqual } from 'node:crypto';
import { SimError, type CallContext, type ObjectHandler, type SimUser, type WorldPort } from './port.js';
import { stateFromScenario, stateFromScenarioFile } from '../scenario/load-scenario.js';
import { SIMULATOR_USER } from './audit.js';
import { ModelClock, type ClockMode } from './clock.js';
import { WorldCore } from './core.js';
import type { EventSource } from './events.js';
import { createHandlers } from './handlers/index.js';
import { requireRuntime } from './lookups.js';
import { packReleaseDateEvents } from './pack-releases.js';
import { readStateFile, writeStateFile } from './persistence.js';
import { platformReleaseEvents } from './platform-release.js';
import { scheduleEvents } from './release-schedule.js';
import { restartEvents, setActivity, setRuntimeStatus } from './restarts.js';
import { upgradeState, type WorldState } from './state.js';
import { clickVersionAction, parseUiVersionAction } from './ui-actions.js';

export interface CreateWorldOptions {
  /** A scenario YAML file (used when there is no state file yet). */
  scenarioFile?: string;
  /** A scenario object, same shape as the YAML (wins over scenarioFile). */
  scenario?: unknown;
  /** Where the state is persisted; if it exists, the world continues from it. */
  stateFile?: string;
  /** Default: the scenario's clock.mode, else realtime. */
  clock?: ClockMode;
  /** Wall clock for the real-time mode (tests). */
  wallClock?: () => number;
}

export interface PendingEventInfo {
  at: string;
  kind: string;
  description: string;
}

const EVENT_SOURCES: readonly EventSource[] = [
  restartEvents,
  scheduleEvents,
  packReleaseDateEvents,
  platformReleaseEvents,
];

export async function createWorld(opts: CreateWorldOptions): Promise<World> {
  const saved = opts.stateFile !== undefined ? await readStateFile(opts.stateFile) : undefined;
  const state = saved ?? (await initialState(opts));
  return new World(state, opts);
}

async function initialState(opts: CreateWorldOptions): Promise<WorldState> {
  if (opts.scenario !== undefined) return stateFromScenario(opts.scenario);
  if (opts.scenarioFile !== undefined) return stateFromScenarioFile(opts.scenarioFile);
  throw new SimError(400, 'The simulator needs a scenario (file or object) or an existing state file.');
}

export class World implements WorldPort {
  private readonly core: WorldCore;
  private readonly clock: ModelClock;
  private readonly objectHandlers: ObjectHandler[];
  private readonly stateFile: string | undefined;
  private saving: Promise<void> = Promise.resolve();

  constructor(state: WorldState, opts: Omit<CreateWorldOptions, 'scenario' | 'scenarioFile'> = {}) {
    this.core = new WorldCore(upgradeState(state));
    state.clock.mode = opts.clock ?? state.clock.mode;
    this.clock = new ModelClock(this.core, state.clock.mode, EVENT_SOURCES, opts.wallClock);
    this.stateFile = opts.stateFile;
    this.objectHandlers = createHandlers(this.core).map((h) => settlingAfterWrites(h, this.core, this.clock));
  }

  // ---- the seam ------------------------------------------------------------------------------------

  handlers(): ObjectHandler[] {
    return this.objectHandlers;
  }

  authenticate(userId: string, token: string): SimUser | undefined {
    const user = this.core.state.users[userId];
    // A user added through AccountUserRole has no API token yet: nobody signs in as it.
    if (!user || user.token === '' || !sameSecret(user.token, token)) return undefined;
    return { userId: user.userId, token: user.token };
  }

  accountExists(accountId: string): boolean {
    return this.core.state.accounts[accountId] !== undefined;
  }

  accountIds(): string[] {
    return Object.keys(this.core.state.accounts);
  }

  privileges(userId: string, accountId: string): string[] {
    const held = new Set<string>();
    for (const userRole of Object.values(this.core.state.userRoles)) {
      if (userRole.userId !== userId || userRole.accountId !== accountId) continue;
      for (const privilege of this.core.state.roles[userRole.roleId]?.privileges ?? []) held.add(privilege);
    }
    return [...held].sort();
  }

  isPartnerOf(parentAccountId: string, childAccountId: string): boolean {
    return this.core.state.accounts[childAccountId]?.parentAccountId === parentAccountId;
  }

  rateLimitPerSecond(): number {
    return this.core.state.settings.rateLimitPerSecond;
  }

  setRateLimit(perSecond: number): void {
    if (!Number.isFinite(perSecond) || perSecond < 0) {
      throw new SimError(
        400,
        `The rate limit must be a number of requests per second >= 0 (0 = off), not ${perSecond}.`,
      );
    }
    this.core.state.settings.rateLimitPerSecond = perSecond;
    this.core.changed();
  }

  dumpState(): unknown {
    const copy = structuredClone(this.core.state);
    for (const user of Object.values(copy.users)) user.token = '***';
    return { ...copy, pendingEvents: this.pendingEvents() };
  }

  now(): Date {
    return this.clock.now();
  }

  releaseCalendar(): { runtimeReleaseWindowOpens: string | null; platformRelease: string | null } {
    const { runtimeReleaseWindowOpensAt, platformReleaseAt } = this.core.state.calendar;
    return { runtimeReleaseWindowOpens: runtimeReleaseWindowOpensAt, platformRelease: platformReleaseAt };
  }

  setClock(to: Date): void {
    this.clock.setTo(to.getTime());
  }

  advanceClock(ms: number): void {
    this.clock.advanceBy(ms);
  }

  tick(): void {
    this.clock.tick();
  }

  setActivity(accountId: string, runtimeId: string, runningExecutions: number): void {
    changing(this.core, () =>
      setActivity(this.core, requireRuntime(this.core.state, accountId, runtimeId), runningExecutions),
    );
    this.clock.settle();
  }

  setRuntimeStatus(accountId: string, runtimeId: string, status: 'ONLINE' | 'OFFLINE'): void {
    changing(this.core, () =>
      setRuntimeStatus(this.core, requireRuntime(this.core.state, accountId, runtimeId), status),
    );
    this.clock.settle();
  }

  uiVersionAction(body: Record<string, unknown>): { requestId: string } {
    const click = parseUiVersionAction(body);
    requireRuntime(this.core.state, click.accountId, click.atomId);
    const request = changing(this.core, () => clickVersionAction(this.core, click));
    this.clock.settle();
    return { requestId: request.id };
  }

  failNextRequests(accountId: string, runtimeId: string, count: number): void {
    const runtime = requireRuntime(this.core.state, accountId, runtimeId);
    if (!Number.isInteger(count) || count < 0)
      throw new SimError(400, `count must be a whole number >= 0, not ${count}.`);
    runtime.failNextRequests = count;
    this.core.audit({
      accountId,
      userId: SIMULATOR_USER,
      type: 'as.atom',
      action: 'FAULT',
      containerId: runtime.id,
      message: `The next ${count} update request(s) on runtime "${runtime.name}" will fail.`,
    });
    this.core.changed();
  }

  /** Writes are serialized; each persist saves the state as it is at the time of the call. */
  persist(): Promise<void> {
    if (this.stateFile === undefined) return this.saving;
    const file = this.stateFile;
    const state = structuredClone(this.core.state);
    this.saving = this.saving.catch(() => undefined).then(() => writeStateFile(file, state));
    return this.saving;
  }

  // ---- beyond the seam: in-process callers and tests ------------------------------------------------

  /** The handler for an API object, e.g. handler('AtomVersionUpdateRequest'). */
  handler(type: string): ObjectHandler {
    const found = this.objectHandlers.find((h) => h.type === type);
    if (!found) throw new SimError(404, `Unknown API object '${type}'.`);
    return found;
  }

  /** A call context as the HTTP layer would build it after authentication. */
  context(userId: string, accountId: string): CallContext {
    return { accountId, userId, privileges: new Set(this.privileges(userId, accountId)) };
  }

  clockMode(): ClockMode {
    return this.clock.mode;
  }

  /** Every time-based event still to come, soonest first. */
  pendingEvents(): PendingEventInfo[] {
    return this.clock
      .pendingEvents()
      .map((e) => ({ at: new Date(e.at).toISOString(), kind: e.kind, description: e.description }));
  }

  nextEventAt(): Date | undefined {
    const next = this.clock.pendingEvents()[0];
    return next && new Date(next.at);
  }

  /** A deep copy of the whole state (tokens included): for tests and tools, never for the API. */
  snapshot(): WorldState {
    return structuredClone(this.core.state);
  }

  /** Account id for an id or display name (alias). */
  accountId(ref: string): string {
    const account =
      this.core.state.accounts[ref] ?? Object.values(this.core.state.accounts).find((a) => a.name === ref);
    if (!account) throw new SimError(404, `No account has the id or name "${ref}".`);
    return account.id;
  }

  runtimeId(accountRef: string, name: string): string {
    return this.idByName('runtime', this.core.state.runtimes, accountRef, name);
  }

  environmentId(accountRef: string, name: string): string {
    return this.idByName('environment', this.core.state.environments, accountRef, name);
  }

  private idByName(
    kind: string,
    records: Record<string, { id: string; accountId: string; name: string }>,
    accountRef: string,
    name: string,
  ): string {
    const accountId = this.accountId(accountRef);
    const found = Object.values(records).find((r) => r.accountId === accountId && r.name === name);
    if (!found) throw new SimError(404, `No ${kind} named "${name}" in account ${accountId}.`);
    return found.id;
  }
}

/**
 * Writes may make something due at once (a request picked up); run it before the next call. A write counts
 * as a change even when it fails half-way, so the next tick derives the events again.
 */
function settlingAfterWrites(handler: ObjectHandler, core: WorldCore, clock: ModelClock): ObjectHandler {
  const { create, update } = handler;
  const remove = handler.delete;
  return {
    ...handler,
    ...(create && {
      create: (ctx, body) => {
        const result = changing(core, () => create(ctx, body));
        clock.settle();
        return result;
      },
    }),
    ...(update && {
      update: (ctx, id, body) => {
        const result = changing(core, () => update(ctx, id, body));
        clock.settle();
        return result;
      },
    }),
    ...(remove && {
      delete: (ctx, id) => {
        changing(core, () => remove(ctx, id));
        clock.settle();
      },
    }),
  };
}

/** Runs a change to the state, then counts it (whether it completed or threw half-way). */
function changing<T>(core: WorldCore, change: () => T): T {
  try {
    return change();
  } finally {
    core.changed();
  }
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
