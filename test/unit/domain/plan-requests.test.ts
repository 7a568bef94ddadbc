import { describe, expect, it } from 'vitest';
import { plan } from '../../../controller/domain/plan.js';
import type { RuntimeState } from '../../../controller/domain/types.js';
import {
  account,
  acmeProd,
  atomVersion,
  component,
  pack,
  planOptions,
  runtime,
  snapshot,
} from './builders.js';
import { pinNamed } from './plan-helpers.js';

describe('requests', () => {
  it('groups the components of a runtime into one APPLY_PENDING request, across AtomVersions', () => {
    const desired = [
      atomVersion('west-runtime', { version: '26.12.0' }),
      atomVersion('west-connectors', {
        connectors: [
          { name: 'HTTP Client', channel: 'pending' },
          { name: 'Salesforce', version: '26.11.2' },
        ],
      }),
    ];
    const result = plan(desired, acmeProd([runtime('Prod West Atom')]), planOptions());
    expect(result.changes).toEqual([
      {
        accountId: 'acme-prod-D4E5F6',
        runtimeId: 'rt-prod-west-atom',
        runtimeName: 'Prod West Atom',
        classification: 'PROD',
        kind: 'AtomVersionUpdateRequest',
        action: 'APPLY_PENDING',
        components: ['Atom', 'HTTP Client', 'Salesforce'],
        // What the platform showed when planning: the request is refused if it no longer holds.
        expected: [
          { name: 'Atom', current: '26.11.0', target: '26.12.0' },
          { name: 'HTTP Client', current: '26.11.0', target: '26.12.0' },
          { name: 'Salesforce', current: '26.11.1', target: '26.11.2' },
        ],
        wave: 1,
        keys: ['integration/west-connectors', 'integration/west-runtime'],
      },
    ]);
    expect(result.summary).toMatchObject({ pins: 3, toChange: 3, requests: 1, drifted: 3 });
  });

  it('emits a ROLLBACK request before the APPLY_PENDING request when a runtime needs both', () => {
    const staging = runtime('Staging Atom', {
      components: [
        component('Atom', '26.11.0', { pendingVersion: '26.12.0' }),
        component('Salesforce', '26.11.2', { rollbackVersion: '26.11.1' }),
      ],
    });
    const desired = atomVersion('staging', {
      runtime: { name: 'Staging Atom' },
      channel: 'pending',
      connectors: [{ name: 'Salesforce', channel: 'released' }],
    });
    const result = plan([desired], acmeProd([staging]), planOptions());
    expect(result.changes.map((request) => [request.action, request.components, request.wave])).toEqual([
      ['ROLLBACK', ['Salesforce'], 1],
      ['APPLY_PENDING', ['Atom'], 1],
    ]);
  });

  it('R9: a connector needing the pending runtime goes in one request with the runtime pin that applies it', () => {
    const desired = atomVersion('qa', {
      runtime: { name: 'QA Molecule' },
      version: '26.12.0',
      connectors: [{ name: 'Database', channel: 'pending' }],
    });
    const result = plan([desired], acmeProd([runtime('QA Molecule', { type: 'MOLECULE' })]), planOptions());
    expect(pinNamed(result, 'Database')).toMatchObject({ outcome: 'ApplyPending', target: '26.12.0' });
    expect(pinNamed(result, 'Database').message).toContain('in one request with Atom 26.12.0');
    expect(result.changes).toEqual([
      expect.objectContaining({ action: 'APPLY_PENDING', components: ['Atom', 'Database'] }),
    ]);
  });

  it('R9: the connector alone is fine once the runtime already runs the required version', () => {
    const dev = runtime('Dev Atom', {
      components: [
        component('Atom', '26.12.0', { rollbackVersion: '26.11.0' }),
        component('Database', '26.11.0', {
          pendingVersion: '26.12.0',
          pendingRequiresAtomVersion: '26.12.0',
        }),
      ],
    });
    const desired = atomVersion('dev', {
      runtime: { name: 'Dev Atom' },
      connectors: [{ name: 'Database', version: '26.12.0' }],
    });
    expect(pinNamed(plan([desired], acmeProd([dev]), planOptions()), 'Database').outcome).toBe(
      'ApplyPending',
    );
  });

  it('R9: RequiresAtomVersion while the runtime update itself is still outstanding', () => {
    const west = runtime('Prod West Atom', {
      components: [
        component('Atom', '26.11.0', { outstandingRequestId: 'avr-3' }),
        component('Database', '26.11.0', {
          pendingVersion: '26.12.0',
          pendingRequiresAtomVersion: '26.12.0',
        }),
      ],
      outstanding: [
        {
          id: 'avr-3',
          kind: 'AtomVersionUpdateRequest',
          action: 'APPLY_PENDING',
          components: ['Atom'],
          status: 'RESTARTING',
        },
      ],
    });
    const desired = atomVersion('west', {
      version: '26.12.0',
      connectors: [{ name: 'Database', version: '26.12.0' }],
    });
    const result = plan([desired], acmeProd([west]), planOptions());
    expect(pinNamed(result, 'Atom').outcome).toBe('Waiting');
    const database = pinNamed(result, 'Database');
    expect(database).toMatchObject({ outcome: 'Blocked', reason: 'RequiresAtomVersion' });
    expect(database.advice).toContain('avr-3');
    expect(result.changes).toEqual([]);
  });

  it('one Apply Pending Updates request per runtime lists every pack it moves, pinned or not', () => {
    const dev = runtime('Dev Atom', {
      packs: [
        pack('Workday Sync', 5, { pendingVersion: 6 }),
        pack('Salesforce to NetSuite', 3, { pendingVersion: 4 }),
      ],
    });
    const desired = atomVersion('dev', {
      runtime: { name: 'Dev Atom' },
      integrationPacks: [{ name: 'Salesforce to NetSuite', channel: 'pending' }],
    });
    const result = plan([desired], acmeProd([dev]), planOptions());
    expect(pinNamed(result, 'Salesforce to NetSuite').message).toContain(
      'also moves the unpinned pack Workday Sync 5 → 6',
    );
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0]).toMatchObject({
      kind: 'IntegrationPackPendingUpdateRequest',
      components: ['Salesforce to NetSuite', 'Workday Sync'],
      packs: [
        { name: 'Salesforce to NetSuite', fromVersion: 3, toVersion: 4 },
        { name: 'Workday Sync', fromVersion: 5, toVersion: 6 },
      ],
    });
  });

  it('packs pinned to their pending versions move together in one request', () => {
    const dev = runtime('Dev Atom', {
      packs: [
        pack('Workday Sync', 5, { pendingVersion: 6 }),
        pack('Salesforce to NetSuite', 3, { pendingVersion: 4 }),
      ],
    });
    const desired = atomVersion('dev', {
      runtime: { name: 'Dev Atom' },
      integrationPacks: [
        { name: 'Salesforce to NetSuite', version: 4 },
        { name: 'Workday Sync', version: 6 },
      ],
    });
    const result = plan([desired], acmeProd([dev]), planOptions());
    expect(result.pins.map((pin) => pin.outcome)).toEqual(['ApplyPackPending', 'ApplyPackPending']);
    expect(result.changes).toHaveLength(1);
  });

  it('one ReattachPack per pack and environment, shared by the runtimes in that environment', () => {
    const early = pack('Salesforce to NetSuite', 8, { appliedEarly: true, environmentIds: ['env-staging'] });
    const inStaging = {
      environmentId: 'env-staging',
      environmentName: 'Staging',
      classification: 'TEST' as const,
      packs: [early],
    };
    const runtimes = [runtime('Staging Atom', inStaging), runtime('Staging Atom 2', inStaging)];
    const desired = ['Staging Atom', 'Staging Atom 2'].map((name, index) =>
      atomVersion(`staging-${index}`, {
        runtime: { name },
        integrationPacks: [{ name: 'Salesforce to NetSuite', channel: 'released' }],
        policy: { allowPackReattach: true },
      }),
    );
    const result = plan(desired, acmeProd(runtimes), planOptions());
    expect(result.pins.map((pin) => pin.outcome)).toEqual(['ReattachPack', 'ReattachPack']);
    expect(result.changes).toEqual([
      expect.objectContaining({
        kind: 'ReattachPack',
        runtimeName: 'Staging Atom',
        environmentId: 'env-staging',
        keys: ['integration/staging-0', 'integration/staging-1'],
      }),
    ]);
  });
});

describe('waves', () => {
  function upgrading(name: string, classification: RuntimeState['classification']): RuntimeState {
    return runtime(name, classification === undefined ? { classification: undefined } : { classification });
  }

  function wavesOf(runtimes: RuntimeState[], maxConcurrentRestarts: number) {
    const desired = runtimes.map((entry) =>
      atomVersion(entry.name, { runtime: { name: entry.name }, version: '26.12.0' }),
    );
    const result = plan(desired, acmeProd(runtimes), planOptions({ maxConcurrentRestarts }));
    return result.changes.map((request) => [request.wave, request.runtimeName]);
  }

  it('restarts TEST runtimes before PROD ones, with at most maxConcurrentRestarts per wave', () => {
    const runtimes = [
      upgrading('Prod East Molecule', 'PROD'),
      upgrading('QA Molecule', 'TEST'),
      upgrading('Prod West Atom', 'PROD'),
      upgrading('Dev Atom', 'TEST'),
      upgrading('Staging Atom', 'TEST'),
      upgrading('Acme Private Cloud', 'PROD'),
    ];
    expect(wavesOf(runtimes, 2)).toEqual([
      [1, 'Dev Atom'],
      [1, 'QA Molecule'],
      [2, 'Staging Atom'],
      [3, 'Acme Private Cloud'],
      [3, 'Prod East Molecule'],
      [4, 'Prod West Atom'],
    ]);
  });

  it('puts runtimes without a classification after TEST and before PROD', () => {
    const runtimes = [
      upgrading('Prod West Atom', 'PROD'),
      upgrading('Loose Atom', undefined),
      upgrading('Dev Atom', 'TEST'),
    ];
    expect(wavesOf(runtimes, 5)).toEqual([
      [1, 'Dev Atom'],
      [2, 'Loose Atom'],
      [3, 'Prod West Atom'],
    ]);
  });

  it('orders runtimes of a classification by account, then runtime name', () => {
    const world = snapshot(
      account('b-account', [runtime('Alpha Atom', { classification: 'TEST' })], { alias: 'b' }),
      account('a-account', [runtime('Zulu Atom', { classification: 'TEST' })], { alias: 'a' }),
    );
    const desired = [
      atomVersion('alpha', { account: 'b', runtime: { name: 'Alpha Atom' }, version: '26.12.0' }),
      atomVersion('zulu', { account: 'a', runtime: { name: 'Zulu Atom' }, version: '26.12.0' }),
    ];
    const result = plan(desired, world, planOptions({ maxConcurrentRestarts: 1 }));
    expect(result.changes.map((request) => [request.wave, request.accountId, request.runtimeName])).toEqual([
      [1, 'a-account', 'Zulu Atom'],
      [2, 'b-account', 'Alpha Atom'],
    ]);
  });

  it('restarts one runtime per wave when maxConcurrentRestarts is below one', () => {
    const runtimes = [upgrading('Dev Atom', 'TEST'), upgrading('QA Molecule', 'TEST')];
    expect(wavesOf(runtimes, 0)).toEqual([
      [1, 'Dev Atom'],
      [2, 'QA Molecule'],
    ]);
  });

  it('keeps all requests of one runtime in the same wave', () => {
    const staging = runtime('Staging Atom', {
      classification: 'TEST',
      components: [
        component('Atom', '26.11.0', { pendingVersion: '26.12.0' }),
        component('Salesforce', '26.11.2', { rollbackVersion: '26.11.1' }),
      ],
      packs: [pack('Workday Sync', 5, { pendingVersion: 6 })],
    });
    const desired = atomVersion('staging', {
      runtime: { name: 'Staging Atom' },
      version: '26.12.0',
      connectors: [{ name: 'Salesforce', version: '26.11.1' }],
      integrationPacks: [{ name: 'Workday Sync', version: 6 }],
    });
    const result = plan([desired], acmeProd([staging]), planOptions({ maxConcurrentRestarts: 1 }));
    expect(result.changes.map((request) => [request.wave, request.kind, request.action])).toEqual([
      [1, 'AtomVersionUpdateRequest', 'ROLLBACK'],
      [1, 'AtomVersionUpdateRequest', 'APPLY_PENDING'],
      [1, 'IntegrationPackPendingUpdateRequest', undefined],
    ]);
  });
});
