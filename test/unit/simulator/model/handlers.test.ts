// The API objects as Boomi documents them: shapes (checked against Boomi's OpenAPI), "@type" everywhere,
// query properties and operators, and the objects not covered by a rule test.
import { describe, expect, it } from 'vitest';
import type { WireObject } from '../../../../simulator/model/port.js';
import { OPENAPI } from '../../../../simulator/openapi/wire-schemas.js';
import { validateWire } from '../../../support/openapi-validator.js';
import {
  ADMIN,
  demoWorld,
  DEV,
  PROD,
  PUBLISHER,
  refusal,
  requestVersions,
  VIEWER,
} from './world-fixtures.js';

function everyObjectTyped(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(everyObjectTyped);
  if (typeof value !== 'object' || value === null) return true;
  return typeof (value as WireObject)['@type'] === 'string' && Object.values(value).every(everyObjectTyped);
}

describe('API objects', () => {
  it('serve public objects in the shapes of Boomi\'s OpenAPI, with "@type" on every object', async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, PROD);
    const atomId = world.runtimeId(PROD, 'Prod East Molecule');
    const samples: [string, WireObject | undefined][] = [
      ['Atom', world.handler('Atom').get!(ctx, atomId)],
      ['Atom', world.handler('Atom').get!(ctx, world.runtimeId(PROD, 'Public Cloud US East'))],
      ['AtomConnectorVersions', world.handler('AtomConnectorVersions').get!(ctx, atomId)],
      ['Environment', world.handler('Environment').list!(ctx)[0]],
      ['EnvironmentAtomAttachment', world.handler('EnvironmentAtomAttachment').list!(ctx)[0]],
      ['IntegrationPack', world.handler('IntegrationPack').list!(ctx)[0]],
      ['IntegrationPackInstance', world.handler('IntegrationPackInstance').list!(ctx)[0]],
      [
        'IntegrationPackEnvironmentAttachment',
        world.handler('IntegrationPackEnvironmentAttachment').list!(ctx)[0],
      ],
      ['RuntimeReleaseSchedule', world.handler('RuntimeReleaseSchedule').get!(ctx, atomId)],
      ['Role', world.handler('Role').list!(ctx)[0]],
    ];
    for (const [schema, body] of samples) {
      expect(body, schema).toBeDefined();
      expect(validateWire(schema, body), schema).toBeNull();
      expect(everyObjectTyped(body), schema).toBe(true);
    }
    const extensions = [
      world.handler('AtomVersions').get!(ctx, atomId),
      world.handler('IntegrationPackVersions').get!(ctx, atomId),
      requestVersions(world, ctx, atomId, 'APPLY_PENDING', ['Atom']),
      ...world.handler('AuditLog').list!(ctx),
    ];
    expect(extensions.every(everyObjectTyped)).toBe(true);
  });

  it("declare exactly the query properties and operators of the public objects' *SimpleExpression schemas", async () => {
    const world = await demoWorld();
    const checked: string[] = [];
    for (const handler of world.handlers()) {
      const schema = OPENAPI.components.schemas[`${handler.type}SimpleExpression`]?.properties;
      if (!handler.query || !schema) continue;
      // Account takes its properties in the schema's capitals and in the lower case of the document's examples.
      const names = Object.keys(handler.query.properties).filter((name) =>
        handler.type === 'Account' ? name === name.toUpperCase() : true,
      );
      expect(names.sort(), handler.type).toEqual([...(schema['property']?.enum ?? [])].map(String).sort());
      expect([...handler.query.operators].sort(), handler.type).toEqual(
        [...(schema['operator']?.enum ?? [])].map(String).sort(),
      );
      checked.push(handler.type);
    }
    expect(checked).toEqual(
      expect.arrayContaining(['Atom', 'Account', 'AuditLog', 'Cloud', 'EnvironmentRole']),
    );
  });

  it('Atom UPDATE changes name, purge settings and forceRestartTime only', async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, PROD);
    const atomId = world.runtimeId(PROD, 'Prod West Atom');
    const current = world.handler('Atom').get!(ctx, atomId)!;
    const updated = world.handler('Atom').update!(ctx, atomId, {
      ...current,
      name: 'West',
      forceRestartTime: 30_000,
    });
    expect(updated).toMatchObject({ name: 'West', forceRestartTime: 30_000 });
    const { status, message } = refusal(() =>
      world.handler('Atom').update!(ctx, atomId, { id: atomId, type: 'MOLECULE' }),
    );
    expect(status).toBe(400);
    expect(message).toContain('not type');
    expect(world.handler('Atom').update!(ctx, atomId, { id: atomId, purgeHistoryDays: 5 })).toMatchObject({
      purgeHistoryDays: 5,
    });
    expect(
      refusal(() => world.handler('Atom').update!(world.context(VIEWER, PROD), atomId, { name: 'x' })).status,
    ).toBe(403);
  });

  it('RuntimeRestartRequest restarts an owned runtime node by node; a cloud attachment cannot be restarted', async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, PROD);
    const atomId = world.runtimeId(PROD, 'Acme Private Cloud');
    const answer = world.handler('RuntimeRestartRequest').create!(ctx, { runtimeId: atomId });
    expect(answer.body).toMatchObject({ '@type': 'RuntimeRestartRequest', runtimeId: atomId });
    expect(world.handler('Atom').get!(ctx, atomId)?.['statusDetail']).toBe('RESTARTING');
    world.advanceClock(2_000);
    expect(world.handler('Atom').get!(ctx, atomId)?.['statusDetail']).toBe('ONLINE_RUNNING');
    const cloud = world.runtimeId(PROD, 'Public Cloud US East');
    expect(
      refusal(() => world.handler('RuntimeRestartRequest').create!(ctx, { runtimeId: cloud })).status,
    ).toBe(403);
  });

  it('AtomVersionUpdateRequest can be read back and listed by the account that made it only', async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, PROD);
    const created = requestVersions(world, ctx, world.runtimeId(PROD, 'Prod West Atom'), 'APPLY_PENDING', [
      'Atom',
    ]);
    expect(world.handler('AtomVersionUpdateRequest').get!(ctx, String(created['id']))).toMatchObject({
      action: 'APPLY_PENDING',
      components: ['Atom'],
      VersionChange: [{ name: 'Atom', fromVersion: '26.11.0', toVersion: '26.12.0' }],
    });
    expect(
      world.handler('AtomVersionUpdateRequest').get!(world.context(ADMIN, DEV), String(created['id'])),
    ).toBeUndefined();
    expect(
      refusal(() =>
        requestVersions(world, ctx, world.runtimeId(PROD, 'Prod West Atom'), 'APPLY_PENDING', ['Kafka']),
      ).message,
    ).toContain('has no component "Kafka"');
  });

  it('the audit log records who changed what and when', async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, PROD);
    const atomId = world.runtimeId(PROD, 'Prod West Atom');
    world.advanceClock(60_000);
    requestVersions(world, ctx, atomId, 'APPLY_PENDING', ['HTTP Client']);
    world.advanceClock(3_000);
    const log = world.handler('AuditLog').list!(ctx);
    expect(log.find((r) => r['modifier'] === 'ACCEPTED')).toMatchObject({
      userId: ADMIN,
      date: '2026-11-23T08:01:00Z',
      type: 'as.atom.version',
      action: 'APPLY_PENDING',
      source: 'API',
      containerId: atomId,
    });
    expect(log.find((r) => r['modifier'] === 'APPLIED')).toMatchObject({
      date: '2026-11-23T08:01:03Z',
      AuditLogProperty: [
        { '@type': 'AuditLogProperty', name: 'HTTP Client', previousValue: '26.11.0', value: '26.12.0' },
      ],
    });
    expect(world.handler('AuditLog').list!(world.context(ADMIN, DEV))).toEqual([]);
  });

  it("Role and AccountUserRole list the roles behind a user's privileges", async () => {
    const world = await demoWorld();
    const ctx = world.context(VIEWER, PROD);
    const roles = world.handler('Role').list!(ctx);
    const viewerRoleIds = world.handler('AccountUserRole').list!(ctx)
      .filter((ur) => ur['userId'] === VIEWER)
      .map((ur) => ur['roleId']);
    const privileges = roles
      .filter((r) => viewerRoleIds.includes(r['id']))
      .flatMap((r) => (r['Privileges'] as { Privilege: { name: string }[] }).Privilege.map((p) => p.name));
    expect(privileges.sort()).toEqual(['API', 'ATOM_MANAGEMENT_READ_ONLY']);
    expect(world.handler('Role').readPrivileges).toEqual([]);
  });

  it("IntegrationPack shows the publisher's packs to its managed accounts; installing a SINGLE pack twice is refused", async () => {
    const world = await demoWorld();
    const eu = world.context(ADMIN, 'acme-eu-J1K2L3');
    const packs = world.handler('IntegrationPack').list!(eu).map((p) => p['name']);
    expect(packs).toEqual(['Salesforce to NetSuite', 'Workday Sync']);
    expect(world.handler('IntegrationPack').list!(world.context(ADMIN, 'boomi-cloud-000000'))).toEqual([]);
    const workday = world.handler('IntegrationPack').list!(eu).find((p) => p['name'] === 'Workday Sync')!;
    world.handler('IntegrationPackInstance').create!(eu, { integrationPackId: workday['id'] });
    expect(
      refusal(() =>
        world.handler('IntegrationPackInstance').create!(eu, { integrationPackId: workday['id'] }),
      ).status,
    ).toBe(409);
    expect(
      world.handler('ReleaseIntegrationPackStatus').get!(world.context(ADMIN, PUBLISHER), 'release-unknown'),
    ).toBeUndefined();
  });
});
