// Structural validation of a scenario document: types, enums, required fields, no unknown fields. The
// references between entries (environment names, pack names, …) are checked when the state is built.
import { at, FieldReader, type Path } from './field-reader.js';
import {
  SCENARIO_API_VERSION,
  SCENARIO_KIND,
  type AccountInput,
  type CalendarInput,
  type ComponentInput,
  type PackInput,
  type PackInstallInput,
  type RoleInput,
  type RuntimeInput,
  type Scenario,
  type UserInput,
} from './scenario-types.js';

const RUNTIME_TYPES = ['ATOM', 'MOLECULE', 'CLOUD'] as const;
const STATUSES = ['ONLINE', 'OFFLINE'] as const;
const CLASSIFICATIONS = ['PROD', 'TEST'] as const;
const SOURCES = ['RUNTIME_RELEASE', 'EARLY_ACCESS'] as const;
const SCHEDULE_TYPES = ['NEVER', 'FIRST', 'LAST'] as const;
const INSTALLATION_TYPES = ['SINGLE', 'MULTI'] as const;
const CLOCK_MODES = ['realtime', 'manual'] as const;

export function parseScenario(raw: unknown, source = '<scenario>'): Scenario {
  const r = new FieldReader(source);
  const doc = r.record(raw, '', [
    'apiVersion',
    'kind',
    'clock',
    'timing',
    'rateLimitPerSecond',
    'platform',
    'calendar',
    'roles',
    'users',
    'accounts',
    'integrationPacks',
  ]);
  if (doc['apiVersion'] !== undefined) r.oneOf(doc['apiVersion'], 'apiVersion', [SCENARIO_API_VERSION]);
  if (doc['kind'] !== undefined) r.oneOf(doc['kind'], 'kind', [SCENARIO_KIND]);
  const clock = r.record(doc['clock'], 'clock', ['start', 'mode']);
  const timing =
    doc['timing'] === undefined
      ? {}
      : r.record(doc['timing'], 'timing', ['inactivityWaitSeconds', 'restartSecondsPerNode']);
  const platform =
    doc['platform'] === undefined ? undefined : r.record(doc['platform'], 'platform', ['extensions']);
  const accounts = r.list(doc['accounts'], 'accounts').map((a, i) => parseAccount(r, a, at('accounts', i)));
  if (accounts.length === 0) r.fail('accounts', 'must list at least one account');
  return {
    clock: {
      start: r.instant(clock['start'], 'clock.start'),
      ...optional('mode', r.optionalOneOf(clock['mode'], 'clock.mode', CLOCK_MODES)),
    },
    timing: {
      ...optional(
        'inactivityWaitSeconds',
        r.optionalNumber(timing['inactivityWaitSeconds'], 'timing.inactivityWaitSeconds', 0),
      ),
      ...optional(
        'restartSecondsPerNode',
        r.optionalNumber(timing['restartSecondsPerNode'], 'timing.restartSecondsPerNode', 0),
      ),
    },
    ...optional('rateLimitPerSecond', r.optionalNumber(doc['rateLimitPerSecond'], 'rateLimitPerSecond', 0)),
    ...optional(
      'platform',
      platform && {
        ...optional('extensions', r.optionalBoolean(platform['extensions'], 'platform.extensions')),
      },
    ),
    calendar: parseCalendar(r, doc['calendar'], 'calendar'),
    roles: r.list(doc['roles'], 'roles').map((v, i) => parseRole(r, v, at('roles', i))),
    users: r.list(doc['users'], 'users').map((v, i) => parseUser(r, v, at('users', i))),
    accounts,
    integrationPacks: r
      .list(doc['integrationPacks'], 'integrationPacks')
      .map((v, i) => parsePack(r, v, at('integrationPacks', i))),
  };
}

function parseCalendar(r: FieldReader, value: unknown, path: Path): CalendarInput {
  const calendar = r.record(value, path, ['platformRelease', 'runtimeReleaseWindowOpens', 'components']);
  const components = r
    .list(calendar['components'], at(path, 'components'))
    .map((v, i) => parseComponent(r, v, at(at(path, 'components'), i)));
  if (!components.some((c) => c.name === 'Atom')) {
    r.fail(at(path, 'components'), 'must include the runtime itself, named Atom');
  }
  return {
    platformRelease: r.optionalInstant(calendar['platformRelease'], at(path, 'platformRelease')) ?? null,
    ...optional(
      'runtimeReleaseWindowOpens',
      r.optionalInstant(calendar['runtimeReleaseWindowOpens'], at(path, 'runtimeReleaseWindowOpens')),
    ),
    components,
  };
}

function parseComponent(r: FieldReader, value: unknown, path: Path): ComponentInput {
  const c = r.record(value, path, ['name', 'released', 'pending', 'source', 'requiresAtomVersion']);
  const pending = r.optionalVersion(c['pending'], at(path, 'pending'));
  const requires = r.optionalVersion(c['requiresAtomVersion'], at(path, 'requiresAtomVersion'));
  if (pending === undefined && (c['source'] !== undefined || requires !== undefined)) {
    r.fail(at(path, 'pending'), 'is required when source or requiresAtomVersion is given');
  }
  return {
    name: r.text(c['name'], at(path, 'name')),
    released: r.version(c['released'], at(path, 'released')),
    ...optional('pending', pending),
    ...optional('source', r.optionalOneOf(c['source'], at(path, 'source'), SOURCES)),
    ...optional('requiresAtomVersion', requires),
  };
}

function parseRole(r: FieldReader, value: unknown, path: Path): RoleInput {
  const role = r.record(value, path, ['name', 'description', 'privileges']);
  return {
    name: r.text(role['name'], at(path, 'name')),
    ...optional('description', r.optionalText(role['description'], at(path, 'description'))),
    privileges: r.texts(role['privileges'], at(path, 'privileges')),
  };
}

function parseUser(r: FieldReader, value: unknown, path: Path): UserInput {
  const user = r.record(value, path, [
    'userId',
    'token',
    'firstName',
    'lastName',
    'roles',
    'accounts',
    'accountRoles',
  ]);
  const accountRoles =
    user['accountRoles'] === undefined ? undefined : r.record(user['accountRoles'], at(path, 'accountRoles'));
  return {
    userId: r.text(user['userId'], at(path, 'userId')),
    token: r.text(user['token'], at(path, 'token')),
    ...optional('firstName', r.optionalText(user['firstName'], at(path, 'firstName'))),
    ...optional('lastName', r.optionalText(user['lastName'], at(path, 'lastName'))),
    roles: r.texts(user['roles'], at(path, 'roles')),
    ...optional(
      'accounts',
      user['accounts'] === undefined ? undefined : r.texts(user['accounts'], at(path, 'accounts')),
    ),
    ...optional(
      'accountRoles',
      accountRoles &&
        Object.fromEntries(
          Object.entries(accountRoles).map(([account, roles]) => [
            account,
            r.texts(roles, at(at(path, 'accountRoles'), account)),
          ]),
        ),
    ),
  };
}

function parseAccount(r: FieldReader, value: unknown, path: Path): AccountInput {
  const account = r.record(value, path, [
    'id',
    'name',
    'parent',
    'environments',
    'clouds',
    'runtimes',
    'integrationPacks',
  ]);
  const list = (key: string) =>
    r.list(account[key], at(path, key)).map((v, i) => [v, at(at(path, key), i)] as const);
  return {
    id: r.text(account['id'], at(path, 'id')),
    ...optional('name', r.optionalText(account['name'], at(path, 'name'))),
    ...optional('parent', r.optionalText(account['parent'], at(path, 'parent'))),
    environments: list('environments').map(([v, p]) => {
      const e = r.record(v, p, ['id', 'name', 'classification']);
      return {
        ...optional('id', r.optionalText(e['id'], at(p, 'id'))),
        name: r.text(e['name'], at(p, 'name')),
        ...optional(
          'classification',
          r.optionalOneOf(e['classification'], at(p, 'classification'), CLASSIFICATIONS),
        ),
      };
    }),
    clouds: list('clouds').map(([v, p]) => {
      const c = r.record(v, p, ['id', 'name', 'nodes']);
      return {
        ...optional('id', r.optionalText(c['id'], at(p, 'id'))),
        name: r.text(c['name'], at(p, 'name')),
        ...optional('nodes', r.optionalInteger(c['nodes'], at(p, 'nodes'), 1, 64)),
      };
    }),
    runtimes: list('runtimes').map(([v, p]) => parseRuntime(r, v, p)),
    integrationPacks: list('integrationPacks').map(([v, p]) => parseInstall(r, v, p)),
  };
}

function parseRuntime(r: FieldReader, value: unknown, path: Path): RuntimeInput {
  const rt = r.record(value, path, [
    'id',
    'name',
    'type',
    'nodes',
    'environment',
    'cloud',
    'status',
    'forceRestartTime',
    'runningExecutions',
    'hostName',
    'connectors',
    'versions',
    'schedule',
    'failNextRequests',
  ]);
  const type = r.oneOf(rt['type'], at(path, 'type'), RUNTIME_TYPES);
  const nodes = r.optionalInteger(rt['nodes'], at(path, 'nodes'), 1, 64);
  if (type === 'ATOM' && nodes !== undefined && nodes !== 1)
    r.fail(at(path, 'nodes'), 'an ATOM has exactly 1 node');
  if (rt['cloud'] !== undefined && type !== 'CLOUD')
    r.fail(at(path, 'cloud'), 'only a CLOUD runtime can attach to a cloud');
  const versions = rt['versions'] === undefined ? undefined : r.record(rt['versions'], at(path, 'versions'));
  const schedule =
    rt['schedule'] === undefined
      ? undefined
      : r.record(rt['schedule'], at(path, 'schedule'), [
          'scheduleType',
          'dayOfWeek',
          'hourOfDay',
          'timeZone',
        ]);
  return {
    ...optional('id', r.optionalText(rt['id'], at(path, 'id'))),
    name: r.text(rt['name'], at(path, 'name')),
    type,
    ...optional('nodes', nodes),
    ...optional('environment', r.optionalText(rt['environment'], at(path, 'environment'))),
    ...optional('cloud', r.optionalText(rt['cloud'], at(path, 'cloud'))),
    ...optional('status', r.optionalOneOf(rt['status'], at(path, 'status'), STATUSES)),
    ...optional(
      'forceRestartTime',
      r.optionalInteger(rt['forceRestartTime'], at(path, 'forceRestartTime'), 0),
    ),
    ...optional(
      'runningExecutions',
      r.optionalInteger(rt['runningExecutions'], at(path, 'runningExecutions'), 0),
    ),
    ...optional('hostName', r.optionalText(rt['hostName'], at(path, 'hostName'))),
    ...optional(
      'connectors',
      rt['connectors'] === undefined ? undefined : r.texts(rt['connectors'], at(path, 'connectors')),
    ),
    ...optional(
      'versions',
      versions &&
        Object.fromEntries(
          Object.entries(versions).map(([name, v]) => [name, r.version(v, at(at(path, 'versions'), name))]),
        ),
    ),
    ...optional(
      'schedule',
      schedule && {
        scheduleType: r.oneOf(
          schedule['scheduleType'],
          at(at(path, 'schedule'), 'scheduleType'),
          SCHEDULE_TYPES,
        ),
        ...optional(
          'dayOfWeek',
          r.optionalText(schedule['dayOfWeek'], at(at(path, 'schedule'), 'dayOfWeek')),
        ),
        ...optional(
          'hourOfDay',
          r.optionalInteger(schedule['hourOfDay'], at(at(path, 'schedule'), 'hourOfDay'), 0, 23),
        ),
        ...optional('timeZone', r.optionalText(schedule['timeZone'], at(at(path, 'schedule'), 'timeZone'))),
      },
    ),
    ...optional(
      'failNextRequests',
      r.optionalInteger(rt['failNextRequests'], at(path, 'failNextRequests'), 0),
    ),
  };
}

function parseInstall(r: FieldReader, value: unknown, path: Path): PackInstallInput {
  const install = r.record(value, path, [
    'pack',
    'id',
    'overrideName',
    'version',
    'environments',
    'appliedEarly',
  ]);
  return {
    pack: r.text(install['pack'], at(path, 'pack')),
    ...optional('id', r.optionalText(install['id'], at(path, 'id'))),
    ...optional('overrideName', r.optionalText(install['overrideName'], at(path, 'overrideName'))),
    version: r.integer(install['version'], at(path, 'version'), 1),
    environments: r.texts(install['environments'], at(path, 'environments')),
    appliedEarly: r.texts(install['appliedEarly'], at(path, 'appliedEarly')),
  };
}

function parsePack(r: FieldReader, value: unknown, path: Path): PackInput {
  const pack = r.record(value, path, [
    'id',
    'name',
    'publisher',
    'description',
    'installationType',
    'pendingRelease',
  ]);
  const pending =
    pack['pendingRelease'] === undefined
      ? undefined
      : r.record(pack['pendingRelease'], at(path, 'pendingRelease'), ['releaseOnDate', 'requestId']);
  return {
    ...optional('id', r.optionalText(pack['id'], at(path, 'id'))),
    name: r.text(pack['name'], at(path, 'name')),
    publisher: r.text(pack['publisher'], at(path, 'publisher')),
    ...optional('description', r.optionalText(pack['description'], at(path, 'description'))),
    ...optional(
      'installationType',
      r.optionalOneOf(pack['installationType'], at(path, 'installationType'), INSTALLATION_TYPES),
    ),
    ...optional(
      'pendingRelease',
      pending && {
        releaseOnDate: r.instant(pending['releaseOnDate'], at(at(path, 'pendingRelease'), 'releaseOnDate')),
        ...optional(
          'requestId',
          r.optionalText(pending['requestId'], at(at(path, 'pendingRelease'), 'requestId')),
        ),
      },
    ),
  };
}

/** `{key: value}` when value is defined, else `{}` — keeps absent fields absent. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
