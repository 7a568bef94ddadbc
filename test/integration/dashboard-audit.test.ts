// The runtime page's AuditLog entries and the timeline of restarts (issue 15: "the AuditLog entries behind
// its changes", "the timeline of restarts"), read from the simulator over HTTP: a change made by a person
// in the platform's UI shows who made it; a restart shows on the runtime and in the fleet timeline; each
// refresh costs one AuditLog query per readable account, asking only for what is new (filtered by date).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestCounter } from '../../controller/platform/index.js';
import type { DesiredAtomVersion } from '../../controller/domain/types.js';
import { AuditTrail } from '../../controller/ui/audit-trail.js';
import type { FleetView } from '../../controller/ui/fleet-view.js';
import { observeFleet } from '../../controller/ui/observe-fleet.js';
import { runtimePage, wavesPage } from '../../controller/ui/pages.js';
import { ACME_DEV, ACME_EU, ACME_PROD, SimHandle, demoTargets } from './controller-harness.js';
import { loadPinContents } from '../../controller/sources/load-pins.js';

const PINS = `apiVersion: atomsync.io/v1alpha1
kind: AtomVersion
metadata: { name: dev-atom, namespace: integration }
spec:
  account: acme-dev
  runtime: { name: Dev Atom }
  version: 26.11.0
`;

describe('the dashboard reads the AuditLog', () => {
  let sim: SimHandle;
  let desired: DesiredAtomVersion[];
  const counter = new RequestCounter();
  const audit = new AuditTrail();
  const auditQueries: string[] = [];

  beforeAll(async () => {
    sim = await SimHandle.start({ clock: 'manual' });
    desired = loadPinContents([{ file: 'pins/dev.yaml', content: Buffer.from(PINS) }]).desired;
    expect(desired).toHaveLength(1);
  });
  afterAll(async () => {
    await sim.close();
  });

  async function observe(): Promise<FleetView> {
    const targets = demoTargets(
      sim.url,
      (event) => {
        if (event.object === 'AuditLog') auditQueries.push(event.accountId ?? '');
      },
      counter,
    );
    return observeFleet({
      targets,
      desired,
      options: { now: new Date(), maxConcurrentRestarts: 2, defaultWindows: [] },
      aliases: { [ACME_PROD]: 'acme-prod', [ACME_DEV]: 'acme-dev', [ACME_EU]: 'acme-eu' },
      mode: 'plan-only',
      audit,
    });
  }

  it('shows who rolled the runtime back in the platform UI, and its restart, on the runtime page and the waves page', async () => {
    await observe();
    const atomId = await sim.atomId(ACME_DEV, 'Dev Atom');
    await sim.call('POST', '/_sim/ui', {
      accountId: ACME_DEV,
      atomId,
      action: 'ROLLBACK',
      components: ['Atom'],
      userId: 'jane@acme.example',
    });
    await sim.advance('2h');
    const view = await observe();
    const row = view.rows.find((candidate) => candidate.key === 'integration/dev-atom');
    expect(row?.audit?.some((e) => e.userId === 'jane@acme.example' && e.source === 'UI')).toBe(true);
    const page = runtimePage(view, row!, { version: 1, canAct: false, canLogIn: false });
    expect(page).toContain('jane@acme.example');
    expect(page).toMatch(/<h2>Restarts<\/h2>[\s\S]*COMPLETED/);
    const restart = view.restarts?.find((entry) => entry.key === 'integration/dev-atom');
    expect(restart).toMatchObject({ account: 'acme-dev', runtimeName: 'Dev Atom' });
    const waves = wavesPage(view, { page: 1, pageSize: 100 }, { version: 1, canAct: false, canLogIn: false });
    expect(waves).toContain('Timeline of restarts');
    expect(waves).toContain('/ui/runtime/integration/dev-atom');
  });

  it('asks each readable account once per refresh, only for entries since the newest it holds', async () => {
    auditQueries.length = 0;
    const before = view(await observe());
    expect(auditQueries.sort()).toEqual([ACME_DEV, ACME_EU, ACME_PROD].sort());
    // Nothing new on the platform: the same entries, none twice.
    expect(view(await observe())).toEqual(before);
  });
});

function view(fleet: FleetView): number {
  return fleet.rows.reduce((sum, row) => sum + (row.audit?.length ?? 0), 0);
}
