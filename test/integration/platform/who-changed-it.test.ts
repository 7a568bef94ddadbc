// Issue 12, Deliver 4 "Who changed it": when a runtime drifts from its pin, the plan names the AuditLog
// entry behind what it runs ("Atom 26.12.0 applied in the UI by jane@acme.example at …"), read with one
// AuditLog query per account per plan, filtered by date.
import { afterEach, describe, expect, it } from 'vitest';
import { observeAndPlan } from '../../../controller/pipeline/observe-and-plan.js';
import { renderText } from '../../../controller/report/text.js';
import { SMALL, smallScenario } from '../../support/simulator/small-scenario.js';
import { atomVersion } from '../../unit/domain/builders.js';
import { Simulators } from './support/simulators.js';

const sims = new Simulators();
afterEach(() => sims.closeAll());

const releasedPin = atomVersion('atom-one', {
  account: SMALL.accountId,
  runtime: { name: 'Atom One' },
  version: '26.11.0',
});

describe('who changed it (AuditLog)', () => {
  it('names the person whose UI click made the runtime drift, with one date-filtered AuditLog query', async () => {
    const platform = await sims.scenario(smallScenario(), SMALL.admin);
    const client = platform.client(SMALL.accountId, SMALL.admin);
    const [atom] = await client.queryAll<{ id: string }>('Atom');
    await platform.control.uiVersionAction({
      accountId: SMALL.accountId,
      atomId: atom!.id,
      action: 'APPLY_PENDING',
      components: ['Atom'],
      userId: 'jane@acme.example',
    });
    await platform.control.advance('10m');

    const before = client.stats.byObject['AuditLog'] ?? 0;
    const targets = [{ accountId: SMALL.accountId, client }];
    const { plan } = await observeAndPlan(targets, [releasedPin], {
      maxConcurrentRestarts: 2,
      defaultWindows: [],
      auditLog: true,
    });
    expect((client.stats.byObject['AuditLog'] ?? 0) - before).toBe(1);

    const pin = plan.pins.find((p) => p.name === 'Atom');
    expect([pin?.current, pin?.outcome]).toEqual(['26.12.0', 'Rollback']);
    expect(pin?.changedBy).toBe(
      'Atom 26.12.0 applied in the UI by jane@acme.example at 2026-11-23 08:00 UTC (AuditLog as.atom UPDATE)',
    );
    expect(renderText(plan, { color: false })).toContain(
      'Changed on the platform (AuditLog) (1):\n  acct-small-000001 / Atom One / Atom: Atom 26.12.0 applied in the UI by jane@acme.example',
    );
  });

  it('asks nothing of the AuditLog unless asked to, and a pin in sync names no one', async () => {
    const platform = await sims.scenario(smallScenario(), SMALL.admin);
    const client = platform.client(SMALL.accountId, SMALL.admin);
    const targets = [{ accountId: SMALL.accountId, client }];
    const options = { maxConcurrentRestarts: 2, defaultWindows: [] };
    const { plan } = await observeAndPlan(targets, [releasedPin], options);
    expect(client.stats.byObject['AuditLog'] ?? 0).toBe(0);
    const attributed = await observeAndPlan(targets, [releasedPin], { ...options, auditLog: true });
    expect(plan.pins[0]?.outcome).toBe('InSync');
    expect(attributed.plan.pins[0]?.changedBy).toBeUndefined();
  });
});
