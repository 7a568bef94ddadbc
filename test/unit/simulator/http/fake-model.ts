// A small WorldPort for testing the HTTP layer without the real world. It records what the HTTP layer
// asks of it (ticks, persists, /_sim/ calls) so tests can check the layer's side of the seam.
import {
  SimError,
  type CallContext,
  type ObjectHandler,
  type SimUser,
  type WireObject,
  type WorldPort,
} from '../../../../simulator/model/port.js';

export const PARENT = 'acct-parent';
export const CHILD = 'acct-child';
export const OTHER = 'acct-other';
export const ACCOUNTS = [PARENT, CHILD, OTHER] as const;

/** userId → token and privileges held in every account. */
export const USERS: Record<string, { token: string; privileges: string[] }> = {
  'admin@test': { token: 'admin-token', privileges: ['API', 'ATOM_MANAGEMENT'] },
  'viewer@test': { token: 'viewer-token', privileges: ['API', 'ATOM_MANAGEMENT_READ_ONLY'] },
  'noapi@test': { token: 'noapi-token', privileges: ['ATOM_MANAGEMENT'] },
};

export const ATOM_OPERATORS = ['EQUALS', 'NOT_EQUALS', 'CONTAINS', 'NOT_CONTAINS'];
export const ALL_OPERATORS = [
  'EQUALS',
  'LIKE',
  'NOT_EQUALS',
  'IS_NULL',
  'IS_NOT_NULL',
  'BETWEEN',
  'GREATER_THAN',
  'GREATER_THAN_OR_EQUAL',
  'LESS_THAN',
  'LESS_THAN_OR_EQUAL',
  'CONTAINS',
  'NOT_CONTAINS',
];

const READ = ['ATOM_MANAGEMENT', 'ATOM_MANAGEMENT_READ_ONLY'];
const WRITE = ['ATOM_MANAGEMENT'];

export interface FakeModelOptions {
  rateLimit?: number;
  /** Widgets in CHILD (for paging). */
  widgetCount?: number;
}

export class FakeModel implements WorldPort {
  readonly atoms = new Map<string, WireObject[]>();
  readonly widgets = new Map<string, WireObject[]>();
  readonly calls = {
    ticks: 0,
    persists: 0,
    activity: [] as unknown[][],
    runtimeStatus: [] as unknown[][],
    failNext: [] as unknown[][],
  };
  /** Events in order, to see that persist happened before the answer left. */
  readonly journal: string[] = [];
  private rateLimit: number;
  private clock = new Date('2026-11-23T08:00:00Z');

  constructor(opts: FakeModelOptions = {}) {
    this.rateLimit = opts.rateLimit ?? 0;
    for (const account of ACCOUNTS) {
      this.atoms.set(account, sampleAtoms(account));
      this.widgets.set(account, []);
    }
    this.widgets.set(CHILD, sampleWidgets(opts.widgetCount ?? 5));
  }

  handlers(): ObjectHandler[] {
    return [this.atomHandler(), this.widgetHandler(), restartRequestHandler(), brokenHandler()];
  }

  authenticate(userId: string, token: string): SimUser | undefined {
    return USERS[userId]?.token === token ? { userId, token } : undefined;
  }

  accountExists(accountId: string): boolean {
    return (ACCOUNTS as readonly string[]).includes(accountId);
  }

  privileges(userId: string, accountId: string): string[] {
    return this.accountExists(accountId) ? [...(USERS[userId]?.privileges ?? [])] : [];
  }

  isPartnerOf(parentAccountId: string, childAccountId: string): boolean {
    return parentAccountId === PARENT && childAccountId === CHILD;
  }

  rateLimitPerSecond(): number {
    return this.rateLimit;
  }

  dumpState(): unknown {
    return { accounts: ACCOUNTS.map((id) => ({ id })), clock: this.clock.toISOString() };
  }

  now(): Date {
    return this.clock;
  }

  setClock(to: Date): void {
    if (to < this.clock) throw new SimError(409, 'The clock never moves backwards.');
    this.clock = to;
  }

  advanceClock(ms: number): void {
    this.clock = new Date(this.clock.getTime() + ms);
  }

  setActivity(accountId: string, runtimeId: string, runningExecutions: number): void {
    this.requireAtom(accountId, runtimeId);
    this.calls.activity.push([accountId, runtimeId, runningExecutions]);
  }

  setRuntimeStatus(accountId: string, runtimeId: string, status: 'ONLINE' | 'OFFLINE'): void {
    this.requireAtom(accountId, runtimeId).status = status;
    this.calls.runtimeStatus.push([accountId, runtimeId, status]);
  }

  failNextRequests(accountId: string, runtimeId: string, count: number): void {
    this.requireAtom(accountId, runtimeId);
    this.calls.failNext.push([accountId, runtimeId, count]);
  }

  setRateLimit(perSecond: number): void {
    this.rateLimit = perSecond;
  }

  async persist(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.calls.persists += 1;
    this.journal.push('persist');
  }

  tick(): void {
    this.calls.ticks += 1;
  }

  private requireAtom(accountId: string, atomId: string): WireObject {
    const atom = this.atoms.get(accountId)?.find((a) => a['id'] === atomId);
    if (!atom) throw new SimError(404, `Atom ${atomId} does not exist in account ${accountId}.`);
    return atom;
  }

  private atomHandler(): ObjectHandler {
    const atomsOf = (ctx: CallContext): WireObject[] => this.atoms.get(ctx.accountId) ?? [];
    return {
      type: 'Atom',
      readPrivileges: READ,
      writePrivileges: WRITE,
      bulkSupported: true,
      query: {
        operators: ATOM_OPERATORS,
        properties: {
          id: (a) => a['id'] as string,
          name: (a) => a['name'] as string,
          status: (a) => a['status'] as string,
          type: (a) => a['type'] as string,
          capabilities: (a) => a['capabilities'] as string[] | undefined,
        },
      },
      get: (ctx, id) => atomsOf(ctx).find((a) => a['id'] === id),
      list: (ctx) => atomsOf(ctx),
      update: (ctx, id, body) => {
        const atom = this.requireAtom(ctx.accountId, id);
        if (typeof body['name'] === 'string') atom['name'] = body['name'];
        this.journal.push(`update ${id}`);
        return atom;
      },
    };
  }

  private widgetHandler(): ObjectHandler {
    const widgetsOf = (ctx: CallContext): WireObject[] => this.widgets.get(ctx.accountId) ?? [];
    return {
      type: 'Widget',
      readPrivileges: READ,
      writePrivileges: WRITE,
      query: {
        operators: ALL_OPERATORS,
        properties: {
          id: (w) => w['id'] as string,
          name: (w) => w['name'] as string,
          size: (w) => String(w['size']),
          createdDate: (w) => w['createdDate'] as string,
          tags: (w) => w['tags'] as string[],
          note: (w) => w['note'] as string | undefined,
        },
      },
      get: (ctx, id) => widgetsOf(ctx).find((w) => w['id'] === id),
      list: (ctx) => widgetsOf(ctx),
      create: (ctx, body) => {
        const widget: WireObject = {
          '@type': 'Widget',
          id: `w-new-${widgetsOf(ctx).length}`,
          name: body['name'],
        };
        widgetsOf(ctx).push(widget);
        return { status: 200, body: widget };
      },
      delete: (ctx, id) => {
        const list = widgetsOf(ctx);
        const index = list.findIndex((w) => w['id'] === id);
        if (index < 0) throw new SimError(404, `Widget ${id} does not exist.`);
        list.splice(index, 1);
      },
    };
  }
}

function sampleAtoms(account: string): WireObject[] {
  const atom = (
    id: string,
    name: string,
    status: string,
    type: string,
    capabilities?: string[],
  ): WireObject => ({
    '@type': 'Atom',
    id,
    name,
    status,
    type,
    ...(capabilities && { capabilities }),
    currentVersion: '26.11.0',
    dateInstalled: '2026-01-05T10:00:00Z',
    forceRestartTime: 0,
    hostName: `${account}.host`,
  });
  return [
    atom('atom-1', 'Prod East Molecule', 'ONLINE', 'MOLECULE', ['GATEWAY']),
    atom('atom-2', 'Prod West Atom', 'ONLINE', 'ATOM', ['GATEWAY', 'BROKER']),
    atom('atom-3', 'Dev Spare Atom', 'OFFLINE', 'ATOM'),
  ];
}

/** w-000 … : size = index, createdDate one day apart, every third has a note, tags by parity. */
export function sampleWidgets(count: number): WireObject[] {
  return Array.from({ length: count }, (_, i) => ({
    '@type': 'Widget',
    id: `w-${String(i).padStart(3, '0')}`,
    name: i % 2 === 0 ? `Even widget ${i}` : `Odd widget ${i}`,
    size: i,
    createdDate: new Date(Date.UTC(2026, 0, 1 + i)).toISOString().replace('.000Z', 'Z'),
    tags: i % 2 === 0 ? ['even', 'all'] : ['odd', 'all'],
    ...(i % 3 === 0 && { note: `note ${i}` }),
  }));
}

function restartRequestHandler(): ObjectHandler {
  return {
    type: 'RuntimeRestartRequest',
    readPrivileges: READ,
    writePrivileges: WRITE,
    create: (_ctx, body) => ({
      status: 202,
      body: { '@type': 'RuntimeRestartRequest', atomId: body['atomId'], message: 'Restart requested.' },
    }),
  };
}

/** Fails in the two ways a model can: a SimError (kept) and a bug (hidden). */
function brokenHandler(): ObjectHandler {
  return {
    type: 'Broken',
    readPrivileges: [],
    writePrivileges: WRITE,
    get: (_ctx, id) => {
      if (id === 'conflict')
        throw new SimError(409, 'A request for these components is already outstanding.');
      throw new TypeError(
        "Cannot read properties of undefined (reading 'x')\n    at secretFrame (/srv/model.ts:1:1)",
      );
    },
    create: () => {
      throw new Error('write failed');
    },
  };
}
