// atomsync's planner: plan(desired, snapshot, options) → Plan. Pure and deterministic: no I/O, no clock
// but options.now, and the same input always gives a deep-equal plan.
//
// Every pin gets exactly one outcome. When several apply, the highest wins:
//   AccountNotAllowed (tenancy) > RuntimeNotFound / AccountUnavailable > InSync > Suspended > ObserveOnly > Waiting
//   > TargetUnreachable / NoPendingVersion / InstallBaseLock / RequiresAtomVersion / PackApplyConflict
//   > NotOwned > InsufficientPrivilege > OutsideWindow > Manual > the change (ApplyPending, Rollback,
//   ApplyPackPending, ReattachPack).
// docs/rules.md explains how each platform rule R1–R16 is predicted.
import { assemblePlan } from './assemble-plan.js';
import { assignManualSteps } from './plan-manual.js';
import { RequestCollector } from './plan-requests.js';
import { FORCE_RESTART_PIN, RELEASE_SCHEDULE_PIN } from './plan-settings.js';
import type { PlannedPin } from './plan-runtime.js';
import { planRuntimePins } from './plan-runtime.js';
import type { PinIdentity } from './pin-outcome.js';
import { pinResult } from './pin-outcome.js';
import type { PinResolution } from './pin-resolution.js';
import { wantedOf } from './pin-resolution.js';
import { AccountBook } from './accounts.js';
import { RuntimeDirectory } from './runtime-lookup.js';
import { tenancyDenial } from './tenancy.js';
import { assignWaves, compareText } from './waves.js';
import { WindowEvaluator } from './windows.js';
import type { BlockedReason, DesiredAtomVersion, PinResult, Plan, PlanOptions, Snapshot } from './types.js';
import { RUNTIME_COMPONENT } from './types.js';

export function plan(desired: readonly DesiredAtomVersion[], snapshot: Snapshot, options: PlanOptions): Plan {
  const planner = new Planner(snapshot, options);
  const ordered = [...desired].sort((a, b) => compareText(a.key, b.key));
  for (const atomVersion of ordered) planner.planAtomVersion(atomVersion);
  return planner.assemble(ordered.length);
}

class Planner {
  private readonly accounts: AccountBook;
  private readonly directory = new RuntimeDirectory();
  private readonly windows: WindowEvaluator;
  private readonly nowMs: number;
  private readonly pins: PinResult[] = [];
  private readonly requests = new RequestCollector();
  private readonly manualPins: PlannedPin[] = [];
  private readonly onChange = (planned: PlannedPin): void => {
    if (planned.result.outcome === 'Manual') this.manualPins.push(planned);
    else this.requests.add(planned);
  };

  constructor(
    private readonly snapshot: Snapshot,
    private readonly options: PlanOptions,
  ) {
    this.accounts = options.accounts ?? AccountBook.ofSnapshot(snapshot);
    this.windows = new WindowEvaluator(options.now);
    this.nowMs = options.now.getTime();
  }

  planAtomVersion(desired: DesiredAtomVersion): void {
    const spec = desired.spec;
    const accountId = this.accounts.idOf(spec.account);
    const accounts = this.snapshot.accounts;
    const account = Object.hasOwn(accounts, accountId) ? accounts[accountId] : undefined;
    const runtimeLabel = spec.runtime.name ?? spec.runtime.id ?? '';
    const identity: PinIdentity = { key: desired.key, accountId, runtimeName: runtimeLabel };
    const denial = tenancyDenial(this.options.tenancy, this.accounts, desired.namespace, spec.account);
    if (denial) {
      return this.unobserved(desired, identity, 'AccountNotAllowed', denial.message, denial.advice);
    }
    if (!account) {
      return this.unobserved(
        desired,
        identity,
        'AccountUnavailable',
        `account "${spec.account}" was not observed: no configured account has this id or alias`,
        'add the account to the atomsync config (accounts:) or fix spec.account',
      );
    }
    if (account.error) {
      return this.unobserved(
        desired,
        identity,
        'AccountUnavailable',
        `account ${accountId} could not be observed: ${account.error.message} (${account.error.code})`,
        'fix the account credential or connectivity; the pins are planned once the account can be read',
      );
    }
    const lookup = this.directory.find(account, spec.runtime);
    if (lookup.found === false) {
      return this.unobserved(
        desired,
        identity,
        'RuntimeNotFound',
        lookup.message,
        'fix spec.runtime (name or id) to name a runtime of the account',
      );
    }
    const input = {
      desired,
      account,
      runtime: lookup.runtime,
      windows: this.windows,
      defaultWindows: this.options.defaultWindows,
      nowMs: this.nowMs,
      releaseCalendar: this.options.releaseCalendar,
    };
    planRuntimePins(input, this.pins, this.onChange);
  }

  /** Every pin of an AtomVersion whose account may not be targeted, or could not be found or read. */
  private unobserved(
    desired: DesiredAtomVersion,
    identity: PinIdentity,
    reason: BlockedReason,
    message: string,
    advice: string,
  ): void {
    for (const pin of pinsOf(desired))
      this.pins.push(pinResult(identity, pin, 'Blocked', message, { reason, advice }));
  }

  assemble(atomVersions: number): Plan {
    assignManualSteps(this.manualPins);
    const changes = assignWaves(this.requests.groups(), this.options.maxConcurrentRestarts);
    return assemblePlan({
      generatedAt: this.options.now.toISOString(),
      atomVersions,
      pins: this.pins,
      changes,
    });
  }
}

type PinOutline = Pick<PinResolution, 'kind' | 'name' | 'wanted'> & { target?: string };

/** The pins an AtomVersion declares, in plan order: the runtime, its connectors, its packs. */
function pinsOf(desired: DesiredAtomVersion): PinOutline[] {
  const spec = desired.spec;
  const pins: PinOutline[] = [];
  if (spec.version !== undefined || spec.channel !== undefined) {
    pins.push(outline('runtime', RUNTIME_COMPONENT, spec));
  }
  for (const pin of spec.connectors) pins.push(outline('connector', pin.name, pin));
  for (const pin of spec.integrationPacks) pins.push(outline('pack', pin.name, pin));
  if (spec.releaseSchedule) {
    pins.push({ kind: 'releaseSchedule', name: RELEASE_SCHEDULE_PIN, wanted: spec.releaseSchedule.week });
  }
  if (spec.forceRestartAfter !== undefined) {
    pins.push({ kind: 'forceRestart', name: FORCE_RESTART_PIN, wanted: spec.forceRestartAfter });
  }
  return pins;
}

function outline(
  kind: PinOutline['kind'],
  name: string,
  pin: { version?: string | number; channel?: string },
): PinOutline {
  const result: PinOutline = { kind, name, wanted: wantedOf(pin) };
  if (pin.version !== undefined) result.target = String(pin.version);
  return result;
}
