import { describe, expect, it } from 'vitest';
import type { AtomVersionSpec, DesiredAtomVersion } from '../../../controller/domain/types.js';
import { diffPins } from '../../../controller/report/pin-changes.js';

function atomVersion(name: string, spec: Partial<AtomVersionSpec>): DesiredAtomVersion {
  return {
    key: `integration/${name}`,
    name,
    namespace: 'integration',
    generation: 'sha256:test',
    origin: { source: 'git', file: `pins/${name}.yaml`, revision: 'abc123' },
    spec: {
      account: 'acme-prod',
      runtime: { name: 'Prod East Molecule' },
      connectors: [],
      integrationPacks: [],
      policy: { mode: 'enforce', suspend: false, allowRollback: true, allowPackReattach: false, windows: [] },
      ...spec,
    },
  };
}

describe('diffPins', () => {
  it('reports pins changed, added and removed between the base and the head of a PR', () => {
    const base = [
      atomVersion('prod-east', {
        channel: 'released',
        connectors: [
          { name: 'HTTP Client', version: '26.11.0' },
          { name: 'Salesforce', version: '26.11.1' },
        ],
      }),
    ];
    const head = [
      atomVersion('prod-east', {
        channel: 'pending',
        connectors: [{ name: 'HTTP Client', version: '26.11.0' }],
        integrationPacks: [{ name: 'Salesforce to NetSuite', version: 8 }],
      }),
    ];
    expect(diffPins(base, head)).toEqual([
      {
        key: 'integration/prod-east',
        kind: 'runtime',
        name: 'Atom',
        before: 'channel:released',
        after: 'channel:pending',
        change: 'changed',
      },
      {
        key: 'integration/prod-east',
        kind: 'connector',
        name: 'Salesforce',
        before: '26.11.1',
        change: 'removed',
      },
      {
        key: 'integration/prod-east',
        kind: 'pack',
        name: 'Salesforce to NetSuite',
        after: '8',
        change: 'added',
      },
    ]);
  });

  it('lists every pin of a new AtomVersion as added and of a deleted one as removed', () => {
    const dev = atomVersion('dev-atom', {
      version: '26.11.0',
      connectors: [{ name: 'HTTP Client', channel: 'released' }],
    });
    expect(diffPins([], [dev]).map((c) => `${c.change} ${c.name} ${c.after}`)).toEqual([
      'added Atom 26.11.0',
      'added HTTP Client channel:released',
    ]);
    expect(diffPins([dev], []).map((c) => `${c.change} ${c.name} ${c.before}`)).toEqual([
      'removed Atom 26.11.0',
      'removed HTTP Client channel:released',
    ]);
  });

  it('reports nothing when only the policy or the order of pins changed', () => {
    const before = atomVersion('prod-east', {
      version: '26.11.0',
      connectors: [
        { name: 'Database', version: '26.11.0' },
        { name: 'HTTP Client', version: '26.11.0' },
      ],
    });
    const after = atomVersion('prod-east', {
      version: '26.11.0',
      connectors: [
        { name: 'HTTP Client', version: '26.11.0' },
        { name: 'Database', version: '26.11.0' },
      ],
      policy: { ...before.spec.policy, mode: 'observe' },
    });
    expect(diffPins([before], [after])).toEqual([]);
  });
});
