// `apply --wait` and the release-schedule lever (issue 12, Deliver 2; docs/rules.md "Pending versions
// through the schedule"): a Scheduled pin has no request to follow — the platform's release schedule brings
// its version at a slot. --wait follows that slot on the platform's clock: the embedded platform's clock is
// moved to it (a simulated world need not be waited for in wall time); a real platform is waited for when
// the slot lies within --timeout, else apply says when to come back. After the slot, apply reads the
// platform again, says which versions arrived (verified) and which did not (now Manual), and sends what
// the new plan asks — the declared release schedule put back, or NEVER — as it would any plan; a plan
// after the slot that asks for anything else is shown, not sent (the user reviewed the schedule's return).
import type { Plan, PinResult } from '../domain/types.js';
import { SLOT_GRACE_MS } from '../domain/release-slots.js';
import { formatInstant } from '../domain/windows.js';
import type { PlannedRun } from './planned-command.js';

/** A release schedule can bring versions at most at a FIRST and a LAST slot per window; a margin on top. */
const MAX_SLOTS = 4;

export interface SlotHooks {
  write(line: string): void;
  /** Sends a plan's requests, following them to the end. */
  send(plan: Plan): Promise<void>;
}

/** Follows every Scheduled pin of `plan` to its slot, then verifies and sends the plan after it. */
export async function followScheduledPins(run: PlannedRun, plan: Plan, hooks: SlotHooks): Promise<Plan> {
  let current = plan;
  for (let slot = 0; slot < MAX_SLOTS; slot++) {
    const scheduled = current.pins.filter((pin) => pin.outcome === 'Scheduled');
    if (scheduled.length === 0) return current;
    const due = earliestEta(scheduled);
    if (due === undefined) {
      hooks.write(
        `\n${scheduled.length} pin(s) come through the release schedule at a slot whose date is unknown ` +
          `(no release calendar): not waited for. Run apply again after the slot to verify them.`,
      );
      return current;
    }
    const arriving = scheduled.filter((pin) => pin.eta === due.toISOString());
    if (!(await reachSlot(run, due, arriving, hooks))) return current;
    const { plan: after } = await run.replan();
    for (const line of verdicts(arriving, after)) hooks.write(`  ${line}`);
    if (after.changes.length === 0) {
      current = after;
    } else if (after.changes.every(putsScheduleBack)) {
      await hooks.send(after);
      current = (await run.replan()).plan;
    } else {
      // Only the schedule's return was part of the plan the user reviewed; anything else is a new plan.
      hooks.write(
        `\nThe plan after the slot asks for more than putting the release schedule back ` +
          `(${after.changes.length} request(s)): not sent without review. Run atomsync plan, then apply.`,
      );
      return after;
    }
  }
  return current;
}

function putsScheduleBack(change: Plan['changes'][number]): boolean {
  return change.kind === 'RuntimeReleaseSchedule';
}

/** Brings the platform's clock past the slot (and the restart after it); false when it cannot be waited for. */
async function reachSlot(
  run: PlannedRun,
  eta: Date,
  arriving: PinResult[],
  hooks: SlotHooks,
): Promise<boolean> {
  const verifyAt = new Date(eta.getTime() + SLOT_GRACE_MS);
  const what = arriving.map((pin) => `${pin.runtimeName} takes ${pinText(pin)}`).join(', ');
  hooks.write(`\nRelease-schedule slot at ${formatInstant(eta)}: ${what}.`);
  const embedded = run.platform.embedded;
  if (embedded) {
    const now = await embedded.moveClockTo(verifyAt);
    hooks.write(
      `  The embedded platform's clock moved to ${formatInstant(now)} (the slot, then an hour for the runtime to restart).`,
    );
    return true;
  }
  const platformNow = run.platform.targets[0]?.client.platformNow() ?? new Date();
  const waitMs = verifyAt.getTime() - platformNow.getTime();
  if (Date.now() + waitMs >= run.deadline.expiresAt) {
    hooks.write(
      `  Not waited for: it lies after --timeout ${run.deadline.limitText}. The platform brings the versions ` +
        `at the slot; run apply again after ${formatInstant(verifyAt)} to verify them and put the release schedule back (atomsync run does it by itself).`,
    );
    return false;
  }
  hooks.write(
    `  Waiting until ${formatInstant(verifyAt)} (the slot, then an hour for the runtime to restart).`,
  );
  await run.deadline.sleep(Math.max(0, waitMs));
  return true;
}

function earliestEta(pins: readonly PinResult[]): Date | undefined {
  const etas = pins.flatMap((pin) => (pin.eta ? [Date.parse(pin.eta)] : []));
  return etas.length > 0 ? new Date(Math.min(...etas)) : undefined;
}

/** Per pin that was to arrive: verified (in sync now) or not (what the new plan says about it). */
function verdicts(arriving: readonly PinResult[], after: Plan): string[] {
  return arriving.map((pin) => {
    const now = after.pins.find(
      (p) => p.key === pin.key && p.runtimeId === pin.runtimeId && p.kind === pin.kind && p.name === pin.name,
    );
    if (now?.outcome === 'InSync') return `Verified: ${pin.runtimeName} runs ${pinText(pin)}.`;
    return `Not arrived: ${pin.runtimeName} ${pinText(pin)} is ${now?.outcome ?? 'gone from the plan'}${now?.message ? ` (${now.message})` : ''}.`;
  });
}

function pinText(pin: PinResult): string {
  const label = pin.kind === 'runtime' ? pin.name : `connector ${pin.name}`;
  return `${label} ${pin.target ?? pin.wanted}`;
}
