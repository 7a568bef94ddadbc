// What every platform-facing verb needs: the config, the platform's URL (embedded or remote), one client
// per configured account (credentials read when a call is made), and the desired AtomVersions.
import { loadConfig } from '../config/load-config.js';
import type { AccountConfig, AtomsyncConfig } from '../config/types.js';
import type { DesiredAtomVersion, Snapshot } from '../domain/types.js';
import { refusePins, type RuntimesOf } from '../domain/pin-refusals.js';
import { accountBookOf } from '../config/account-book.js';
import { refusalProblems } from '../sources/refusal-problems.js';
import type { PinProblem } from '../sources/pin-problem.js';
import { closest } from '../domain/closest-names.js';
import { RequestCounter } from '../platform/index.js';
import { createAccountTargets } from '../platform/account-targets.js';
import type { RequestEvent } from '../platform/index.js';
import type { AccountTarget } from '../platform/observe.js';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileSourceNamespaces } from '../config/file-source-namespaces.js';
import { formatProblem, loadPins, type PinRoot } from '../sources/load-pins.js';
import { CliError } from './errors.js';
import type { DesiredPackRelease } from '../domain/pack-release-types.js';
import { unknownReleaseAccounts } from '../sources/release-accounts.js';
import type { CommandDeadline } from './deadline.js';
import { startEmbeddedPlatform } from './embedded-platform.js';
import { embeddedControl, type EmbeddedControl } from './embedded-control.js';
import type { ReleaseCalendar } from '../domain/types.js';
import type { PlanningOptions } from '../pipeline/observe-and-plan.js';
import { planningOptions } from '../pipeline/planning-options.js';

/** Retries after a call's first attempt (so a call makes at most MAX_RETRIES + 1 attempts). */
export const MAX_RETRIES = 5;

export interface PlatformCallOptions {
  /** The command's deadline: calls and waits stop when it passes. */
  deadline?: CommandDeadline;
  /** Sees every HTTP attempt (retry lines, --verbose). */
  onRequest?: (event: RequestEvent) => void;
  /** `--target`: only these accounts (alias or id); every configured account when empty. */
  accounts?: string[];
}

export interface PlatformContext {
  config: AtomsyncConfig;
  baseUrl: string;
  targets: AccountTarget[];
  counter: RequestCounter;
  /** Set when the CLI started the embedded platform: its calendar and clock (/_sim/). */
  embedded?: EmbeddedControl;
  close(): Promise<void>;
}

/**
 * The release dates plans use: the embedded platform's own calendar when the CLI started it (as its world
 * moves, e.g. past the Platform Release), else the config's platform.releaseCalendar. A credential the
 * simulator refuses /_sim/ (no ATOM_MANAGEMENT) falls back to the config's dates.
 */
export async function platformPlanningOptions(platform: PlatformContext): Promise<PlanningOptions> {
  const { releaseCalendar: _configured, ...options } = planningOptions(platform.config);
  const calendar = await releaseCalendarOf(platform);
  return { ...options, auditLog: true, ...(calendar ? { releaseCalendar: calendar } : {}) };
}

/**
 * The release dates for a long-running `run`: the config's, or the embedded platform's own, read again
 * at most once per `ttlMs` (its world moves past the Platform Release while the controller runs).
 */
export function releaseCalendarSource(
  platform: PlatformContext,
  ttlMs = 60_000,
): () => Promise<ReleaseCalendar | undefined> {
  let cached: { at: number; calendar: Promise<ReleaseCalendar | undefined> } | undefined;
  return () => {
    const now = Date.now();
    if (!cached || now - cached.at >= ttlMs) cached = { at: now, calendar: releaseCalendarOf(platform) };
    return cached.calendar;
  };
}

async function releaseCalendarOf(platform: PlatformContext): Promise<ReleaseCalendar | undefined> {
  const configured = platform.config.platform.releaseCalendar;
  if (!platform.embedded) return configured;
  try {
    return await platform.embedded.releaseCalendar();
  } catch {
    return configured;
  }
}

export async function openPlatform(
  configFile: string,
  options: PlatformCallOptions = {},
): Promise<PlatformContext> {
  return openPlatformWith(await loadConfig(configFile), options);
}

export async function openPlatformWith(
  config: AtomsyncConfig,
  options: PlatformCallOptions = {},
): Promise<PlatformContext> {
  const accounts = selectAccounts(config, options.accounts ?? []);
  const counter = new RequestCounter();
  let baseUrl: string;
  let close = async (): Promise<void> => {};
  let embedded: EmbeddedControl | undefined;
  if (config.platform.embedded) {
    const sim = await startEmbeddedPlatform(config, config.platform.embedded.scenario);
    baseUrl = sim.url;
    close = () => sim.close();
    const controller = accounts[0];
    if (controller) embedded = embeddedControl(sim.url, controller);
  } else {
    baseUrl = config.platform.url;
  }
  try {
    const targets = createAccountTargets(config, baseUrl, {
      accounts,
      counter,
      ...(options.onRequest ? { onRequest: options.onRequest } : {}),
      client: {
        maxRetries: MAX_RETRIES,
        ...(options.deadline ? { fetchImpl: options.deadline.fetch, sleep: options.deadline.sleep } : {}),
      },
    });
    return { config, baseUrl, targets, counter, close, ...(embedded ? { embedded } : {}) };
  } catch (err) {
    await close();
    throw err;
  }
}

/** The configured accounts `--target` names (by alias or account id); all of them without --target. */
function selectAccounts(config: AtomsyncConfig, wanted: readonly string[]): AccountConfig[] {
  const all = Object.values(config.accounts);
  if (wanted.length === 0) return all;
  const unknown = wanted.filter((name) => !all.some((a) => a.alias === name || a.accountId === name));
  if (unknown.length > 0) {
    const aliases = all.map((a) => a.alias);
    const lines = unknown.map((name) => {
      const suggestion = closest(name, aliases);
      return (
        `  --target ${name}: no configured account has this alias or id` +
        (suggestion ? ` — did you mean '${suggestion}'?` : '')
      );
    });
    throw new CliError(
      `${lines.join('\n')}\n  The accounts of ${config.configFile} are: ${aliases.join(', ')}`,
    );
  }
  return all.filter((a) => wanted.includes(a.alias) || wanted.includes(a.accountId));
}

/**
 * Pins from --dir, else from the config's directory sources; each file in the namespace its source gives
 * it (a --dir inside a configured source follows that source). Any problem stops the command (exit 1).
 */
export async function loadDesired(
  config: AtomsyncConfig | undefined,
  dirs: string[],
): Promise<DesiredAtomVersion[]> {
  return (await loadDocuments(config, dirs)).desired;
}

/** The AtomVersions and the IntegrationPackReleases (docs/publisher.md) of the pin folders. */
export async function loadDocuments(
  config: AtomsyncConfig | undefined,
  dirs: string[],
): Promise<{ desired: DesiredAtomVersion[]; releases: DesiredPackRelease[] }> {
  const roots = dirs.length > 0 ? dirs.map((dir) => rootOfDir(config, dir)) : directorySources(config);
  if (roots.length === 0) {
    throw new CliError('no pins to read: pass --dir DIR or add a `kind: directory` source to the config');
  }
  const { desired, releases, problems } = await loadPins(roots);
  if (config) problems.push(...unknownReleaseAccounts(releases, accountBookOf(config)));
  failOnPinProblems(problems);
  return { desired, releases };
}

export function directorySources(config: AtomsyncConfig | undefined): PinRoot[] {
  if (!config) return [];
  return config.sources.flatMap((source) =>
    source.kind === 'directory'
      ? [{ path: source.path, namespaces: fileSourceNamespaces(config, source) }]
      : [],
  );
}

/** Load errors stop the command before anything is planned or sent (exit 1), each with file:line:col. */
function failOnPinProblems(problems: readonly PinProblem[]): void {
  if (problems.length === 0) return;
  const lines = problems.map((problem) => `  ${formatProblem(problem)}`);
  throw new CliError(
    `the pins have ${problems.length} problem(s); nothing was planned:\n${lines.join('\n')}`,
  );
}

/**
 * Pins that cannot be meant, as load errors: an account the config does not have, two AtomVersions on one
 * runtime (alias or id, name or id), and — once the platform was read (`snapshot`) — a runtime it does
 * not have.
 */
export function failOnRefusedPins(
  config: AtomsyncConfig,
  desired: readonly DesiredAtomVersion[],
  snapshot?: Snapshot,
): void {
  const runtimesOf = snapshot ? observedRuntimes(snapshot) : undefined;
  failOnPinProblems(refusalProblems(desired, refusePins(desired, accountBookOf(config), runtimesOf)));
}

/** The runtimes of each account the snapshot could read. */
export function observedRuntimes(snapshot: Snapshot): RuntimesOf {
  return (accountId) => {
    const account = Object.hasOwn(snapshot.accounts, accountId) ? snapshot.accounts[accountId] : undefined;
    return account && !account.error ? account.runtimes : undefined;
  };
}

/**
 * A --dir folder inside a configured directory source takes that source's namespaces. Outside every
 * source, its files say their own namespace — unless the config has tenancy, whose grants per namespace a
 * file must not be able to pick for itself.
 */
function rootOfDir(config: AtomsyncConfig | undefined, dir: string): PinRoot {
  const wanted = resolve(dir);
  for (const source of config?.sources ?? []) {
    if (source.kind !== 'directory') continue;
    const inside = relative(source.path, wanted);
    if (inside.startsWith('..') || isAbsolute(inside)) continue;
    return {
      path: dir,
      namespaces: fileSourceNamespaces(config!, source),
      folderInSource: inside.split(sep).join('/'),
    };
  }
  if (config?.tenancy) {
    throw new CliError(
      `--dir ${dir} is not inside a directory source of ${config.configFile}, and with tenancy a pin's namespace comes from its source, not from the file: add the folder to sources (with its namespace) or leave out --dir`,
    );
  }
  return { path: dir };
}
