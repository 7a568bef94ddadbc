// Turns a (structurally valid) scenario into the simulator's starting state, checking every reference
// between entries. Ids are deterministic (uuid-shaped, from account + kind + name) unless the scenario
// gives them.
import { SimError } from '../model/port.js';
import { SCENARIO_USER } from '../model/audit.js';
import { atomAttachmentId, encodedId, packAttachmentId, uuidFrom } from '../model/ids.js';
import { parseSchedule } from '../model/release-schedule.js';
import { compareVersions, RUNTIME_COMPONENT } from '../model/runtime-versions.js';
import {
  packAccountKey,
  STATE_FORMAT_VERSION,
  type ComponentRecord,
  type ReleaseCalendar,
  type RuntimeRecord,
  type WorldState,
} from '../model/state.js';
import { at, FieldReader, type Path } from './field-reader.js';
import type { AccountInput, PackInput, RuntimeInput, Scenario } from './scenario-types.js';

const DAY_MS = 24 * 3_600_000;
const RUNTIME_RELEASE_WINDOW_MS = 14 * DAY_MS;
const DEFAULT_INACTIVITY_SECONDS = 2;
const DEFAULT_RESTART_SECONDS_PER_NODE = 1;
const DEFAULT_RATE_LIMIT = 10;

/** A name or id within an account, as one key. */
function accountRefKey(accountId: string, ref: string): string {
  return `${accountId}\u0000${ref}`;
}

export function buildState(scenario: Scenario, source = '<scenario>'): WorldState {
  return new StateBuilder(scenario, new FieldReader(source)).build();
}

class StateBuilder {
  private readonly state: WorldState;
  /** Each runtime's account + name and account + id: finds a runtime listed twice without a scan. */
  private readonly runtimeRefs = new Set<string>();

  constructor(
    private readonly scenario: Scenario,
    private readonly r: FieldReader,
  ) {
    const start = scenario.clock.start;
    this.state = {
      formatVersion: STATE_FORMAT_VERSION,
      clock: { now: start, start, mode: scenario.clock.mode ?? 'realtime' },
      settings: {
        inactivityWaitMs: (scenario.timing?.inactivityWaitSeconds ?? DEFAULT_INACTIVITY_SECONDS) * 1000,
        restartMsPerNode: (scenario.timing?.restartSecondsPerNode ?? DEFAULT_RESTART_SECONDS_PER_NODE) * 1000,
        rateLimitPerSecond: scenario.rateLimitPerSecond ?? DEFAULT_RATE_LIMIT,
        ...(scenario.platform?.extensions === false && { extensions: false }),
      },
      seq: 0,
      accounts: {},
      users: {},
      roles: {},
      userRoles: {},
      environments: {},
      clouds: {},
      runtimes: {},
      runtimeAttachments: {},
      calendar: { platformReleaseAt: null, runtimeReleaseWindowOpensAt: null, components: {} },
      schedules: {},
      packs: {},
      packReleases: {},
      packAccounts: {},
      packInstances: {},
      packAttachments: {},
      packAtomAttachments: {},
      environmentRoles: {},
      requests: {},
      auditLog: [],
    };
  }

  build(): WorldState {
    this.state.calendar = this.calendar();
    this.scenario.accounts.forEach((a, i) => this.account(a, at('accounts', i)));
    this.scenario.accounts.forEach((a, i) => this.parent(a, at('accounts', i)));
    this.scenario.accounts.forEach((a, i) => this.accountContents(a, at('accounts', i)));
    this.scenario.accounts.forEach((a, i) => this.runtimesOf(a, at('accounts', i)));
    this.usersAndRoles();
    (this.scenario.integrationPacks ?? []).forEach((p, i) => this.pack(p, at('integrationPacks', i)));
    this.scenario.accounts.forEach((a, i) => this.installs(a, at('accounts', i)));
    return this.state;
  }

  private get start(): number {
    return Date.parse(this.scenario.clock.start);
  }

  private calendar(): ReleaseCalendar {
    const input = this.scenario.calendar;
    const release = input.platformRelease ?? null;
    if (release !== null && Date.parse(release) <= this.start) {
      this.r.fail('calendar.platformRelease', `must be after clock.start (${this.scenario.clock.start})`);
    }
    const opens =
      input.runtimeReleaseWindowOpens ??
      (release === null ? null : new Date(Date.parse(release) - RUNTIME_RELEASE_WINDOW_MS).toISOString());
    if (opens !== null && release !== null && Date.parse(opens) > Date.parse(release)) {
      this.r.fail('calendar.runtimeReleaseWindowOpens', 'must not be after calendar.platformRelease');
    }
    const components: ReleaseCalendar['components'] = {};
    input.components.forEach((c, i) => {
      const path = at(at('calendar', 'components'), i);
      if (components[c.name]) this.r.fail(at(path, 'name'), `component "${c.name}" is listed twice`);
      components[c.name] = {
        released: c.released,
        ...(c.pending !== undefined && { pending: c.pending, pendingSource: c.source ?? 'RUNTIME_RELEASE' }),
        ...(c.requiresAtomVersion !== undefined && { requiresAtomVersion: c.requiresAtomVersion }),
      };
    });
    const atom = components[RUNTIME_COMPONENT]!;
    input.components.forEach((c, i) => {
      if (
        c.requiresAtomVersion === undefined ||
        [atom.released, atom.pending].includes(c.requiresAtomVersion)
      )
        return;
      this.r.fail(
        at(at(at('calendar', 'components'), i), 'requiresAtomVersion'),
        `Atom has no version ${c.requiresAtomVersion} (released ${atom.released}, pending ${atom.pending ?? 'none'})`,
      );
    });
    return {
      platformReleaseAt: release,
      runtimeReleaseWindowOpensAt: release === null ? null : opens,
      components,
    };
  }

  private account(input: AccountInput, path: Path): void {
    if (this.state.accounts[input.id]) this.r.fail(at(path, 'id'), `account ${input.id} is listed twice`);
    const name = input.name ?? input.id;
    if (Object.values(this.state.accounts).some((a) => a.name === name)) {
      this.r.fail(at(path, 'name'), `another account is already named "${name}"`);
    }
    this.state.accounts[input.id] = { id: input.id, name };
  }

  private parent(input: AccountInput, path: Path): void {
    if (input.parent === undefined) return;
    const parentId = this.accountRef(input.parent, at(path, 'parent'));
    if (parentId === input.id) this.r.fail(at(path, 'parent'), 'an account cannot be its own partner');
    this.state.accounts[input.id]!.parentAccountId = parentId;
  }

  private accountRef(ref: string, path: Path): string {
    const account =
      this.state.accounts[ref] ?? Object.values(this.state.accounts).find((a) => a.name === ref);
    if (!account) this.r.fail(path, `no account has the id or name "${ref}"`);
    return account.id;
  }

  private accountContents(input: AccountInput, path: Path): void {
    (input.environments ?? []).forEach((e, i) => {
      const p = at(at(path, 'environments'), i);
      if (this.findIn(this.state.environments, input.id, e.name))
        this.r.fail(at(p, 'name'), `environment "${e.name}" is listed twice`);
      const id = e.id ?? uuidFrom(input.id, 'environment', e.name);
      this.state.environments[id] = {
        id,
        accountId: input.id,
        name: e.name,
        classification: e.classification ?? 'PROD',
      };
    });
    (input.clouds ?? []).forEach((c) => {
      const id = c.id ?? uuidFrom(input.id, 'cloud', c.name);
      this.state.clouds[id] = { id, name: c.name, ownerAccountId: input.id, nodes: c.nodes ?? 2 };
    });
  }

  /** Runtimes come after every account's clouds exist (attachments name clouds of other accounts). */
  private runtimesOf(input: AccountInput, path: Path): void {
    (input.runtimes ?? []).forEach((rt, i) => this.runtime(input.id, rt, at(at(path, 'runtimes'), i)));
  }

  private runtime(accountId: string, input: RuntimeInput, path: Path): void {
    if (this.runtimeRefs.has(accountRefKey(accountId, input.name)))
      this.r.fail(at(path, 'name'), `runtime "${input.name}" is listed twice`);
    const id = input.id ?? uuidFrom(accountId, 'runtime', input.name);
    if (this.state.runtimes[id]) this.r.fail(at(path, 'id'), `id ${id} is used twice`);
    const cloud = input.cloud === undefined ? undefined : this.cloudRef(input.cloud, at(path, 'cloud'));
    const start = this.scenario.clock.start;
    const running = input.runningExecutions ?? 0;
    const runtime: RuntimeRecord = {
      id,
      accountId,
      name: input.name,
      type: input.type,
      nodes: cloud?.nodes ?? input.nodes ?? (input.type === 'ATOM' ? 1 : 2),
      hostName:
        input.hostName ??
        cloud?.name ??
        `${slug(input.name)}.${slug(this.state.accounts[accountId]!.name)}.sim`,
      createdBy: SCENARIO_USER,
      dateInstalled: start,
      ...(cloud && { cloudId: cloud.id }),
      status: input.status ?? 'ONLINE',
      statusSince: start,
      runningExecutions: running,
      idleSince: running === 0 ? start : null,
      forceRestartTime: input.forceRestartTime ?? 0,
      purgeHistoryDays: 30,
      purgeImmediate: false,
      components: this.components(input, path),
      restart: null,
      failNextRequests: input.failNextRequests ?? 0,
    };
    this.state.runtimes[id] = runtime;
    this.runtimeRefs.add(accountRefKey(accountId, input.name)).add(accountRefKey(accountId, id));
    if (input.environment !== undefined) {
      const environmentId = this.environmentRef(accountId, input.environment, at(path, 'environment'));
      const attachmentId = atomAttachmentId(id, environmentId);
      this.state.runtimeAttachments[attachmentId] = {
        id: attachmentId,
        accountId,
        atomId: id,
        environmentId,
      };
    }
    if (input.schedule) this.schedule(id, input.schedule, at(path, 'schedule'));
  }

  private components(input: RuntimeInput, path: Path): Record<string, ComponentRecord> {
    const calendar = this.state.calendar.components;
    const connectors = input.connectors ?? Object.keys(calendar).filter((n) => n !== RUNTIME_COMPONENT);
    connectors.forEach((name, i) => {
      if (!calendar[name] || name === RUNTIME_COMPONENT) {
        this.r.fail(at(at(path, 'connectors'), i), `"${name}" is not a connector of calendar.components`);
      }
    });
    const components: Record<string, ComponentRecord> = {};
    for (const name of [RUNTIME_COMPONENT, ...connectors]) {
      components[name] = { version: calendar[name]!.released, lastUpdated: this.scenario.clock.start };
    }
    for (const [name, version] of Object.entries(input.versions ?? {})) {
      const p = at(at(path, 'versions'), name);
      const known = calendar[name];
      if (!components[name] || !known) this.r.fail(p, `the runtime has no component "${name}"`);
      if (version !== known.released && version !== known.pending) {
        this.r.fail(
          p,
          `${name} can run its released ${known.released}${known.pending ? ` or pending ${known.pending}` : ''}, not ${version}`,
        );
      }
      components[name].version = version;
    }
    this.requireAtomForConnectors(components, path);
    return components;
  }

  /** R9 holds in the starting state too: a connector on a pending version has the Atom it needs. */
  private requireAtomForConnectors(components: Record<string, ComponentRecord>, path: Path): void {
    const atomVersion = components[RUNTIME_COMPONENT]!.version;
    for (const [name, current] of Object.entries(components)) {
      const known = this.state.calendar.components[name];
      if (known?.requiresAtomVersion === undefined || current.version !== known.pending) continue;
      if (compareVersions(atomVersion, known.requiresAtomVersion) >= 0) continue;
      this.r.fail(
        at(at(path, 'versions'), name),
        `${name} ${current.version} requires Atom ${known.requiresAtomVersion}`,
      );
    }
  }

  private schedule(atomId: string, input: NonNullable<RuntimeInput['schedule']>, path: Path): void {
    try {
      this.state.schedules[atomId] = parseSchedule(atomId, { ...input }, this.scenario.clock.start);
    } catch (error) {
      if (error instanceof SimError) this.r.fail(path, error.message);
      throw error;
    }
  }

  private cloudRef(ref: string, path: Path) {
    const cloud = this.state.clouds[ref] ?? Object.values(this.state.clouds).find((c) => c.name === ref);
    if (!cloud) this.r.fail(path, `no account declares a cloud with the id or name "${ref}"`);
    return cloud;
  }

  private environmentRef(accountId: string, ref: string, path: Path): string {
    const environment = this.findIn(this.state.environments, accountId, ref);
    if (!environment)
      this.r.fail(path, `account ${accountId} has no environment with the name or id "${ref}"`);
    return environment.id;
  }

  private findIn<T extends { id: string; accountId: string; name: string }>(
    records: Record<string, T>,
    accountId: string,
    ref: string,
  ): T | undefined {
    return Object.values(records).find((x) => x.accountId === accountId && (x.name === ref || x.id === ref));
  }

  private usersAndRoles(): void {
    const roles = this.scenario.roles ?? [];
    for (const account of Object.values(this.state.accounts)) {
      for (const role of roles) {
        const id = uuidFrom(account.id, 'role', role.name);
        this.state.roles[id] = {
          id,
          accountId: account.id,
          name: role.name,
          description: role.description ?? role.name,
          privileges: [...role.privileges],
        };
      }
    }
    (this.scenario.users ?? []).forEach((u, i) => this.user(u, at('users', i)));
  }

  private user(input: NonNullable<Scenario['users']>[number], path: Path): void {
    if (this.state.users[input.userId])
      this.r.fail(at(path, 'userId'), `user ${input.userId} is listed twice`);
    const [first, last] = input.userId.split('@')[0]!.split('.');
    this.state.users[input.userId] = {
      userId: input.userId,
      token: input.token,
      firstName: input.firstName ?? capitalize(first ?? input.userId),
      lastName: input.lastName ?? capitalize(last ?? 'User'),
    };
    const accounts = input.accounts
      ? input.accounts.map((ref, i) => this.accountRef(ref, at(at(path, 'accounts'), i)))
      : Object.keys(this.state.accounts);
    const overrides = new Map(
      Object.entries(input.accountRoles ?? {}).map(([ref, names]) => [
        this.accountRef(ref, at(at(path, 'accountRoles'), ref)),
        names,
      ]),
    );
    for (const accountId of overrides.keys()) {
      if (!accounts.includes(accountId))
        this.r.fail(at(path, 'accountRoles'), `${accountId} is not among the user's accounts`);
    }
    for (const accountId of accounts) {
      for (const roleName of overrides.get(accountId) ?? input.roles ?? []) {
        const roleId = uuidFrom(accountId, 'role', roleName);
        if (!this.state.roles[roleId]) this.r.fail(at(path, 'roles'), `no role named "${roleName}" in roles`);
        const id = encodedId('USER_ROLE', accountId, input.userId, roleId);
        this.state.userRoles[id] = { id, accountId, userId: input.userId, roleId };
      }
    }
  }

  private pack(input: PackInput, path: Path): void {
    if (Object.values(this.state.packs).some((p) => p.name === input.name)) {
      this.r.fail(at(path, 'name'), `integration pack "${input.name}" is listed twice`);
    }
    const publisherAccountId = this.accountRef(input.publisher, at(path, 'publisher'));
    const id = input.id ?? uuidFrom(publisherAccountId, 'integration-pack', input.name);
    this.state.packs[id] = {
      id,
      publisherAccountId,
      name: input.name,
      description: input.description ?? input.name,
      installationType: input.installationType ?? 'SINGLE',
    };
    if (!input.pendingRelease) return;
    if (Date.parse(input.pendingRelease.releaseOnDate) <= this.start) {
      this.r.fail(at(at(path, 'pendingRelease'), 'releaseOnDate'), 'must be after clock.start');
    }
    const requestId = input.pendingRelease.requestId ?? `release-${uuidFrom(id, 'pending-release')}`;
    this.state.packReleases[requestId] = {
      requestId,
      integrationPackId: id,
      releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE',
      releaseOnDate: input.pendingRelease.releaseOnDate,
      status: 'SCHEDULED',
      createdAt: this.scenario.clock.start,
      createdBy: SCENARIO_USER,
      components: [],
    };
  }

  private installs(input: AccountInput, path: Path): void {
    (input.integrationPacks ?? []).forEach((install, i) => {
      const p = at(at(path, 'integrationPacks'), i);
      const pack = Object.values(this.state.packs).find(
        (x) => x.name === install.pack || x.id === install.pack,
      );
      if (!pack) this.r.fail(at(p, 'pack'), `no integration pack with the name or id "${install.pack}"`);
      const publisher = pack.publisherAccountId;
      if (publisher !== input.id && this.state.accounts[input.id]!.parentAccountId !== publisher) {
        this.r.fail(
          at(p, 'pack'),
          `"${pack.name}" is published by ${publisher}, which is not this account's partner`,
        );
      }
      if (install.overrideName !== undefined && pack.installationType !== 'MULTI') {
        this.r.fail(
          at(p, 'overrideName'),
          `only a MULTI pack takes an overrideName ("${pack.name}" is SINGLE)`,
        );
      }
      const key = packAccountKey(input.id, pack.id);
      const existing = this.state.packAccounts[key];
      if (existing && pack.installationType === 'SINGLE')
        this.r.fail(p, `"${pack.name}" is SINGLE and installed twice`);
      if (existing && existing.releasedVersion !== install.version) {
        this.r.fail(
          at(p, 'version'),
          `every install of "${pack.name}" in one account shares its version (${existing.releasedVersion})`,
        );
      }
      const pending = Object.values(this.state.packReleases).find((r) => r.integrationPackId === pack.id);
      this.state.packAccounts[key] = {
        accountId: input.id,
        integrationPackId: pack.id,
        releasedVersion: install.version,
        ...(pending && { pending: { releaseId: pending.requestId, version: install.version + 1 } }),
        ...(existing?.lockedByReleaseId !== undefined && { lockedByReleaseId: existing.lockedByReleaseId }),
      };
      const instanceId = install.id ?? encodedId(`${install.overrideName ?? ''}|`, input.id, pack.id);
      this.state.packInstances[instanceId] = {
        id: instanceId,
        accountId: input.id,
        integrationPackId: pack.id,
        ...(install.overrideName !== undefined && { overrideName: install.overrideName }),
      };
      this.packAttachments(input.id, instanceId, install, pending?.requestId, p);
    });
  }

  private packAttachments(
    accountId: string,
    instanceId: string,
    install: NonNullable<AccountInput['integrationPacks']>[number],
    pendingReleaseId: string | undefined,
    path: Path,
  ): void {
    const environmentIds = (install.environments ?? []).map((ref, i) =>
      this.environmentRef(accountId, ref, at(at(path, 'environments'), i)),
    );
    const early = (install.appliedEarly ?? []).map((ref, i) => {
      const p = at(at(path, 'appliedEarly'), i);
      const id = this.environmentRef(accountId, ref, p);
      if (!environmentIds.includes(id)) this.r.fail(p, `"${ref}" is not among the install's environments`);
      if (pendingReleaseId === undefined) this.r.fail(p, 'the pack has no pendingRelease to apply early');
      return id;
    });
    for (const environmentId of environmentIds) {
      const id = packAttachmentId(instanceId, environmentId);
      const appliedEarly = early.includes(environmentId);
      this.state.packAttachments[id] = {
        id,
        accountId,
        integrationPackInstanceId: instanceId,
        environmentId,
        version: install.version + (appliedEarly ? 1 : 0),
        lastUpdateDate: this.scenario.clock.start,
        ...(appliedEarly && { appliedEarlyReleaseId: pendingReleaseId }),
      };
    }
    if (early.length > 0) {
      this.state.packAccounts[
        packAccountKey(accountId, this.state.packInstances[instanceId]!.integrationPackId)
      ]!.lockedByReleaseId = pendingReleaseId;
    }
  }
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
