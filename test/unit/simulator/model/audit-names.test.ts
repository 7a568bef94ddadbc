// The AuditLog names the simulator writes for changes made through Boomi's own objects are rows of the
// table in the document's AuditLog description (the extract in simulator/openapi/ keeps it whole): e.g. a
// Runtime Release schedule saved is `as.atom.rc_schedule` SAVE, not a name of the simulator's own.
import { describe, expect, it } from 'vitest';
import { OPENAPI } from '../../../../simulator/openapi/wire-schemas.js';
import { ADMIN, demoWorld, PROD } from './world-fixtures.js';

interface Row {
  type: string;
  actions: string[];
  modifiers: string[];
}

/** The rows of the "| Action type | type | action | modifier |" table. */
function boomiAuditTable(): Row[] {
  const description = OPENAPI.tags.find((tag) => tag.name === 'AuditLog')?.description ?? '';
  const rows: Row[] = [];
  for (const line of description.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length < 5 || cells[2] === 'type' || cells[2]?.startsWith('---')) continue;
    const [, , type = '', action = '', modifier = ''] = cells;
    rows.push({
      type,
      actions: action.split(',').map((a) => a.trim()),
      modifiers: modifier === '' ? ['NONE'] : modifier.split(' or ').map((m) => m.trim()),
    });
  }
  return rows;
}

function inTable(rows: Row[], record: Record<string, unknown>): boolean {
  return rows.some(
    (row) =>
      row.type === record['type'] &&
      row.actions.includes(String(record['action'])) &&
      row.modifiers.includes(String(record['modifier'])),
  );
}

describe('AuditLog names', () => {
  it('reads the table of the document', () => {
    const rows = boomiAuditTable();
    expect(rows.length).toBeGreaterThan(100);
    expect(rows).toContainEqual({ type: 'as.atom.rc_schedule', actions: ['SAVE'], modifiers: ['NONE'] });
  });

  it("names every change made through Boomi's objects as a row of the document's table", async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, PROD);
    const atomId = world.runtimeId(PROD, 'Prod West Atom');
    const before = world.handler('AuditLog').list!(ctx).length;

    world.handler('Atom').update!(ctx, atomId, { id: atomId, purgeHistoryDays: 14 });
    world.handler('RuntimeReleaseSchedule').update!(ctx, atomId, {
      atomId,
      scheduleType: 'LAST',
      dayOfWeek: 'FRIDAY',
      hourOfDay: 1,
      timeZone: 'Etc/UTC',
    });
    const environment = world.handler('Environment').create!(ctx, {
      name: 'Audit',
      classification: 'TEST',
    }).body;
    const environmentId = String(environment['id']);
    world.handler('Environment').update!(ctx, environmentId, { name: 'Audited' });
    const roleId = String(world.handler('Role').list!(ctx)[0]?.['id']);
    const role = world.handler('EnvironmentRole').create!(ctx, { environmentId, roleId }).body;
    world.handler('EnvironmentRole').delete!(ctx, String(role['id']));
    const attachment = world.handler('EnvironmentAtomAttachment').create!(ctx, {
      atomId,
      environmentId,
    }).body;
    world.handler('EnvironmentAtomAttachment').delete!(ctx, String(attachment['id']));
    world.handler('Environment').delete!(ctx, environmentId);
    world.handler('RuntimeRestartRequest').create!(ctx, { runtimeId: atomId });
    world.handler('RuntimeReleaseSchedule').delete!(ctx, atomId);
    const cloudId = String(world.handler('Cloud').list!(ctx)[0]?.['id']);
    const attached = world.handler('Atom').create!(ctx, { cloudId, name: 'Audited Attachment' }).body;
    world.handler('Atom').delete!(ctx, String(attached['id']));
    // The demo's admin manages runtimes, not users: here it also holds ACCOUNT_ADMIN, as Role writes need.
    const accountAdmin = { ...ctx, privileges: new Set([...ctx.privileges, 'ACCOUNT_ADMIN']) };
    const custom = world.handler('Role').create!(accountAdmin, {
      name: 'Audited',
      Privileges: { Privilege: [{ name: 'API' }] },
    }).body;
    const customId = String(custom['id']);
    world.handler('Role').update!(accountAdmin, customId, { Description: 'Audited role' });
    const given = world.handler('AccountUserRole').create!(accountAdmin, {
      userId: 'new.user@acme.example',
      roleId: customId,
    }).body;
    world.handler('AccountUserRole').delete!(accountAdmin, String(given['id']));
    world.handler('Role').delete!(accountAdmin, customId);

    const records = world.handler('AuditLog').list!(ctx).slice(before);
    const names = records.map((r) => `${String(r['type'])} ${String(r['action'])} ${String(r['modifier'])}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'as.atom.properties SAVE NONE',
        'as.atom.rc_schedule SAVE NONE',
        'as.environment UPDATE NAME',
        'as.environment UPDATE ROLE',
        'as.environment ATTACH NONE',
        'as.environment DETACH NONE',
        'as.environment DELETE NONE',
        'as.atom RESTART NONE',
        'as.atom INSTALL NONE',
        'as.atom DELETE NONE',
        'role ADD NONE',
        'role UPDATE NONE',
        'role DELETE NONE',
        'user UPDATE ROLE',
      ]),
    );
    // Boomi's table has no row for creating an environment; the simulator records it as as.environment ADD.
    const rows = boomiAuditTable();
    const foreign = records
      .filter((r) => !inTable(rows, r))
      .map((r) => `${String(r['type'])} ${String(r['action'])}`);
    expect(foreign).toEqual(['as.environment ADD']);
  });
});
