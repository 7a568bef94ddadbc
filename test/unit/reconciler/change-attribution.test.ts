// `run`'s AuditLog reads (controller/reconciler/change-attribution.ts): at most one per account per
// observation, filtered by date (7 days back the first time, then since the last read less an overlap),
// none while nothing is to be explained, and an unreadable AuditLog never fails the pass.
import { describe, expect, it } from 'vitest';
import type { PinResult, Plan, PlanSummary } from '../../../controller/domain/types.js';
import type { AtomSphereClient } from '../../../controller/platform/client.js';
import type { AccountTarget } from '../../../controller/platform/observe.js';
import { ChangeAttribution } from '../../../controller/reconciler/change-attribution.js';

const KEY = 'integration/staging-atom';
const NOW = new Date('2026-12-03T12:00:00Z');
const UI_UPDATE = {
  date: '2026-12-03T10:32:00Z',
  type: 'as.atom',
  action: 'UPDATE',
  source: 'UI',
  userId: 'jane@acme.example',
  containerId: 'rt-1',
  AuditLogProperty: [{ name: 'Atom', value: '26.12.0', previousValue: '26.11.0' }],
};
const JANE =
  'Atom 26.12.0 applied in the UI by jane@acme.example at 2026-12-03 10:32 UTC (AuditLog as.atom UPDATE)';

/** An account whose AuditLog answers `entries`; records each query's date filter. */
function fakeAccount(
  entries: unknown[] | Error,
  clock = { now: NOW },
): { target: AccountTarget; since: string[] } {
  const since: string[] = [];
  const client = {
    platformNow: () => clock.now,
    queryAll: async (object: string, expression: { argument: string[] }) => {
      expect(object).toBe('AuditLog');
      since.push(expression.argument[0]!);
      if (entries instanceof Error) throw entries;
      return entries;
    },
  } as unknown as AtomSphereClient;
  return { target: { accountId: 'acct-1', client }, since };
}

function atomPin(current: string, outcome: PinResult['outcome']): PinResult {
  return {
    key: KEY,
    accountId: 'acct-1',
    runtimeId: 'rt-1',
    runtimeName: 'Staging Atom',
    kind: 'runtime',
    name: 'Atom',
    wanted: '26.11.0',
    current,
    outcome,
    message: '',
  };
}

function planOf(pin: PinResult, drifted: boolean): Plan {
  return {
    formatVersion: '2',
    generatedAt: NOW.toISOString(),
    summary: {} as PlanSummary,
    pins: [pin],
    drift: drifted
      ? [
          {
            key: KEY,
            accountId: 'acct-1',
            runtimeName: 'Staging Atom',
            kind: 'runtime',
            name: 'Atom',
            wanted: '26.11.0',
            actual: pin.current!,
            outcome: pin.outcome,
          },
        ]
      : [],
    changes: [],
    blocked: [],
    manual: pin.outcome === 'Manual' ? [pin] : [],
  };
}

const drifted = planOf(atomPin('26.12.0', 'Manual'), true);
const inSync = planOf(atomPin('26.11.0', 'InSync'), false);

describe('ChangeAttribution', () => {
  it('reads once per observation, 7 days back first and then only since the last read', async () => {
    const { target, since } = fakeAccount([UI_UPDATE]);
    const attribution = new ChangeAttribution();
    const first = await Promise.all([
      attribution.attribute({ target, cycle: 1, key: KEY, plan: drifted, before: [] }),
      attribution.attribute({ target, cycle: 1, key: KEY, plan: drifted, before: [] }),
    ]);
    expect(first.map((plan) => plan.pins[0]?.changedBy)).toEqual([JANE, JANE]);
    expect(first[0]?.manual[0]?.changedBy).toBe(JANE);
    await attribution.attribute({ target, cycle: 2, key: KEY, plan: drifted, before: [] });
    expect(since).toEqual(['2026-11-26T12:00:00.000Z', '2026-12-03T11:45:00.000Z']);
  });

  it('asks nothing while the pins are in sync, nor for a drift already explained', async () => {
    const { target, since } = fakeAccount([UI_UPDATE]);
    const attribution = new ChangeAttribution();
    const steady = await attribution.attribute({ target, cycle: 1, key: KEY, plan: inSync, before: [] });
    expect(steady.pins[0]?.changedBy).toBeUndefined();
    const known = [{ kind: 'runtime', name: 'Atom', current: '26.12.0', outcome: 'Manual', changedBy: JANE }];
    const carried = await attribution.attribute({ target, cycle: 2, key: KEY, plan: drifted, before: known });
    expect(carried.pins[0]?.changedBy).toBe(JANE);
    expect(since).toEqual([]);
  });

  it('reads when a pin that was out of sync is in sync now (a manual task done)', async () => {
    const { target, since } = fakeAccount([]);
    const before = [
      { kind: 'runtime', name: 'Atom', current: '26.12.0', outcome: 'Manual', changedBy: JANE },
    ];
    const done = await new ChangeAttribution().attribute({
      target,
      cycle: 3,
      key: KEY,
      plan: inSync,
      before,
    });
    expect(since).toHaveLength(1);
    expect(done.pins[0]?.changedBy).toBeUndefined(); // 26.11.0 is not the version Jane's entry explains
  });

  it('leaves the plan unattributed when the AuditLog cannot be read, and tells it once', async () => {
    const { target } = fakeAccount(new Error('HTTP 403: no AuditLog privilege'));
    const told: string[] = [];
    const attribution = new ChangeAttribution((accountId, message) => told.push(`${accountId}: ${message}`));
    for (const cycle of [1, 2]) {
      const plan = await attribution.attribute({ target, cycle, key: KEY, plan: drifted, before: [] });
      expect(plan.pins[0]?.changedBy).toBeUndefined();
    }
    expect(told).toEqual(['acct-1: HTTP 403: no AuditLog privilege']);
  });

  it('stops asking about a version no entry explained once the overlap has passed, and asks again when it changes', async () => {
    const clock = { now: NOW };
    const { target, since } = fakeAccount([], clock);
    const attribution = new ChangeAttribution();
    const at = async (minutes: number, cycle: number, plan = drifted) => {
      clock.now = new Date(NOW.getTime() + minutes * 60_000);
      await attribution.attribute({ target, cycle, key: KEY, plan, before: [] });
    };
    await at(0, 1);
    await at(10, 2);
    expect(since).toHaveLength(2); // an entry recorded late would still be within the overlap
    await at(20, 3);
    await at(30, 4);
    expect(since).toHaveLength(2);
    await at(40, 5, planOf(atomPin('26.12.1', 'Manual'), true));
    expect(since).toHaveLength(3);
  });
});
