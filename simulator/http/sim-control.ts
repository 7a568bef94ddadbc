// /_sim/ control endpoints: state dump, clock, runtime activity and status, faults, UI clicks. Same Basic
// credentials as the API; the user needs ATOM_MANAGEMENT in the account a call names, or in at least one
// account when it names none.
import type { FaultInjector } from './faults.js';
import { SimError, type SimUser, type WorldPort } from '../model/port.js';
import { isRecord, parseJsonObject } from './respond.js';

const SIM_ADMIN_PRIVILEGE = 'ATOM_MANAGEMENT';

/** Optional model capability: the account ids, so "ATOM_MANAGEMENT in at least one account" can be checked. */
export interface AccountListing {
  accountIds?(): string[];
}

export interface SimControlDeps {
  model: WorldPort & AccountListing;
  faults: FaultInjector;
  /** The rate limit DELETE /_sim/faults restores. */
  initialRateLimit: number;
}

export interface SimResponse {
  status: 200;
  body: unknown;
  wrote: boolean;
}

type Route = (deps: SimControlDeps, body: Record<string, unknown>) => SimResponse;

const ROUTES: Record<string, Route> = {
  'GET state': (deps) => answer(deps.model.dumpState()),
  'GET clock': (deps) => answer(clockBody(deps.model)),
  'GET calendar': releaseCalendar,
  'POST clock': moveClock,
  'POST activity': setActivity,
  'POST runtime-status': setRuntimeStatus,
  'GET faults': (deps) => answer(faultsBody(deps)),
  'POST faults': configureFaults,
  'DELETE faults': clearFaults,
  'POST ui': clickInUi,
};

export function handleSimControl(
  deps: SimControlDeps,
  user: SimUser,
  method: string,
  segments: readonly string[],
  rawBody: string,
): SimResponse {
  const route = segments.length === 1 ? ROUTES[`${method} ${segments[0]}`] : undefined;
  if (!route) throw new SimError(404, `No simulator control endpoint ${method} /_sim/${segments.join('/')}.`);
  const body = method === 'POST' ? parseJsonObject(rawBody) : {};
  requireSimAdmin(deps.model, user, body);
  return route(deps, body);
}

function requireSimAdmin(
  model: WorldPort & AccountListing,
  user: SimUser,
  body: Record<string, unknown>,
): void {
  const named = namedAccount(body);
  if (named !== undefined) {
    if (!model.accountExists(named)) throw new SimError(404, `Account ${named} does not exist.`);
    if (model.privileges(user.userId, named).includes(SIM_ADMIN_PRIVILEGE)) return;
    throw new SimError(
      403,
      `Simulator control requires the ${SIM_ADMIN_PRIVILEGE} privilege in account ${named}.`,
    );
  }
  const admin = knownAccountIds(model).some((id) =>
    model.privileges(user.userId, id).includes(SIM_ADMIN_PRIVILEGE),
  );
  if (!admin) {
    throw new SimError(
      403,
      `Simulator control requires the ${SIM_ADMIN_PRIVILEGE} privilege in at least one account.`,
    );
  }
}

function namedAccount(body: Record<string, unknown>): string | undefined {
  const failNext = body['failNextRequests'];
  const accountId = isRecord(failNext) ? failNext['accountId'] : body['accountId'];
  return typeof accountId === 'string' ? accountId : undefined;
}

/** The model's accounts: from accountIds() if it has one, else from the state dump's `accounts`. */
function knownAccountIds(model: WorldPort & AccountListing): string[] {
  if (typeof model.accountIds === 'function') return model.accountIds();
  const state = model.dumpState();
  const accounts = isRecord(state) ? state['accounts'] : undefined;
  if (Array.isArray(accounts))
    return accounts.map(accountIdOf).filter((id): id is string => id !== undefined);
  return isRecord(accounts) ? Object.keys(accounts) : [];
}

function accountIdOf(entry: unknown): string | undefined {
  if (!isRecord(entry)) return undefined;
  const id = entry['accountId'] ?? entry['id'];
  return typeof id === 'string' ? id : undefined;
}

function answer(body: unknown, wrote = false): SimResponse {
  return { status: 200, body, wrote };
}

function clockBody(model: WorldPort): { now: string } {
  return { now: model.now().toISOString() };
}

function moveClock(deps: SimControlDeps, body: Record<string, unknown>): SimResponse {
  if (body['now'] !== undefined) deps.model.setClock(parseInstant(body['now']));
  else if (body['advance'] !== undefined) deps.model.advanceClock(parseDuration(body['advance']));
  else throw new SimError(400, 'POST /_sim/clock needs {"now": ISO time} or {"advance": ms | "2h" | "30m"}.');
  return answer(clockBody(deps.model), true);
}

function setActivity(deps: SimControlDeps, body: Record<string, unknown>): SimResponse {
  const accountId = requiredString(body, 'accountId');
  const atomId = requiredString(body, 'atomId');
  const runningExecutions = body['runningExecutions'];
  if (
    typeof runningExecutions !== 'number' ||
    !Number.isInteger(runningExecutions) ||
    runningExecutions < 0
  ) {
    throw new SimError(400, 'runningExecutions must be an integer >= 0.');
  }
  deps.model.setActivity(accountId, atomId, runningExecutions);
  return answer({ accountId, atomId, runningExecutions }, true);
}

function setRuntimeStatus(deps: SimControlDeps, body: Record<string, unknown>): SimResponse {
  const accountId = requiredString(body, 'accountId');
  const atomId = requiredString(body, 'atomId');
  const status = body['status'];
  if (status !== 'ONLINE' && status !== 'OFFLINE')
    throw new SimError(400, 'status must be ONLINE or OFFLINE.');
  deps.model.setRuntimeStatus(accountId, atomId, status);
  return answer({ accountId, atomId, status }, true);
}

/** The release dates of the world (the embedded platform's own calendar, read by the CLI that started it). */
function releaseCalendar(deps: SimControlDeps): SimResponse {
  if (!deps.model.releaseCalendar) throw new SimError(404, 'This model has no release calendar.');
  return answer(deps.model.releaseCalendar());
}

/** Plays a person in the UI: {accountId, atomId, action: APPLY_PENDING | ROLLBACK, components, userId}. */
function clickInUi(deps: SimControlDeps, body: Record<string, unknown>): SimResponse {
  if (!deps.model.uiVersionAction) throw new SimError(404, 'This model has no UI actions.');
  return answer(deps.model.uiVersionAction(body), true);
}

function configureFaults(deps: SimControlDeps, body: Record<string, unknown>): SimResponse {
  const failNext = readFailNext(body['failNextRequests']);
  const rateLimit = readRateLimit(body['rateLimit']);
  const settings = deps.faults.prepare(body);
  if (failNext) deps.model.failNextRequests(failNext.accountId, failNext.atomId, failNext.count);
  deps.faults.set(settings);
  if (rateLimit !== undefined) deps.model.setRateLimit(rateLimit);
  return answer(faultsBody(deps), true);
}

function readFailNext(value: unknown): { accountId: string; atomId: string; count: number } | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) throw new SimError(400, 'failNextRequests must be {accountId, atomId, count}.');
  const count = value['count'];
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
    throw new SimError(400, 'failNextRequests.count must be an integer >= 0.');
  }
  return { accountId: requiredString(value, 'accountId'), atomId: requiredString(value, 'atomId'), count };
}

function readRateLimit(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new SimError(400, 'rateLimit must be a number >= 0 (0 = off).');
  }
  return value;
}

function clearFaults(deps: SimControlDeps): SimResponse {
  deps.faults.reset();
  deps.model.setRateLimit(deps.initialRateLimit);
  return answer(faultsBody(deps), true);
}

function faultsBody(deps: SimControlDeps): Record<string, unknown> {
  return { ...deps.faults.settings(), rateLimit: deps.model.rateLimitPerSecond() };
}

function requiredString(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') throw new SimError(400, `${name} is required (a string).`);
  return value;
}

function parseInstant(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new SimError(400, 'now must be an ISO 8601 time.');
  return date;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration as milliseconds: a number, or a string such as "2h", "30m", "1h30m", "500ms". */
export function parseDuration(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  const text = typeof value === 'string' ? value.trim() : '';
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (text === '' || parts.map((p) => p[0]).join('') !== text) {
    throw new SimError(
      400,
      `advance must be milliseconds or a duration such as "2h" or "30m"; got ${JSON.stringify(value)}.`,
    );
  }
  return parts.reduce((ms, p) => ms + Number(p[1]) * (UNIT_MS[p[2] ?? 'ms'] ?? 1), 0);
}
