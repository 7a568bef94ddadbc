// Scenario files: the demo world as the brief describes it, deterministic ids, and errors that name the
// file and the field.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadScenarioFile, stateFromScenario } from '../../../../simulator/scenario/load-scenario.js';
import { smallScenario } from '../../../support/simulator/small-scenario.js';
import type { Scenario } from '../../../../simulator/scenario/scenario-types.js';
import { ADMIN, demoWorld, DEV, EU, PROD, PUBLISHER, VIEWER } from './world-fixtures.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atomsync-scenario-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function invalid(edit: (s: Scenario) => void): string {
  const scenario = smallScenario();
  edit(scenario);
  try {
    stateFromScenario(scenario, 'test.yaml');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the scenario to be refused');
}

describe('the demo scenario (examples/sim/demo.yaml)', () => {
  it('has the accounts, users, environments and nine runtimes of the demo world', async () => {
    const world = await demoWorld();
    expect(world.now().toISOString()).toBe('2026-11-23T08:00:00.000Z');
    expect(world.accountIds().sort()).toEqual([
      'acme-dev-G7H8I9',
      'acme-eu-J1K2L3',
      'acme-prod-D4E5F6',
      'acme-publisher-A1B2C3',
      'boomi-cloud-000000',
    ]);
    for (const account of [PROD, DEV, EU]) {
      expect(world.isPartnerOf(PUBLISHER, account)).toBe(true);
      expect(world.privileges(ADMIN, account)).toEqual(['API', 'ATOM_MANAGEMENT']);
      expect(world.privileges(VIEWER, account)).toEqual(['API', 'ATOM_MANAGEMENT_READ_ONLY']);
    }
    expect(world.authenticate(ADMIN, 'demo-admin-token')?.userId).toBe(ADMIN);
    expect(world.authenticate(ADMIN, 'demo-viewer-token')).toBeUndefined();
    const runtimes = [PROD, DEV, EU].flatMap((a) =>
      world.handler('Atom').list!(world.context(ADMIN, a)).map(
        (r) => `${r['name']} ${r['type']} ${r['status']}`,
      ),
    );
    expect(runtimes).toEqual([
      'Prod East Molecule MOLECULE ONLINE',
      'Prod West Atom ATOM ONLINE',
      'Staging Atom ATOM ONLINE',
      'Acme Private Cloud CLOUD ONLINE',
      'Public Cloud US East CLOUD ONLINE',
      'Dev Atom ATOM ONLINE',
      'QA Molecule MOLECULE ONLINE',
      'Dev Spare Atom ATOM OFFLINE',
      'EU Atom ATOM ONLINE',
    ]);
    expect(world.rateLimitPerSecond()).toBe(10);
  });

  it('derives uuid-shaped ids from account and name, the same on every load', async () => {
    const a = await demoWorld();
    const b = await demoWorld();
    expect(a.runtimeId(PROD, 'Prod West Atom')).toMatch(UUID);
    expect(a.runtimeId(PROD, 'Prod West Atom')).toBe(b.runtimeId(PROD, 'Prod West Atom'));
    expect(a.environmentId('acme-prod', 'Production')).toBe(b.environmentId(PROD, 'Production'));
    expect(a.runtimeId(PROD, 'Prod West Atom')).not.toBe(a.runtimeId(PROD, 'Staging Atom'));
  });
});

describe('scenario validation', () => {
  it('names the file and the field of a wrong enum value', () => {
    expect(
      invalid((s) => {
        s.accounts[0]!.runtimes![0]!.type = 'SERVER' as never;
      }),
    ).toBe('test.yaml: accounts[0].runtimes[0].type: must be one of ATOM, MOLECULE, CLOUD; got "SERVER"');
  });

  it('refuses unknown fields, naming them', () => {
    expect(
      invalid((s) => {
        (s.accounts[0]!.runtimes![0] as unknown as Record<string, unknown>)['enviroment'] = 'Prod';
      }),
    ).toContain('test.yaml: accounts[0].runtimes[0].enviroment: unknown field');
  });

  it('refuses references to environments, clouds and packs that do not exist', () => {
    expect(
      invalid((s) => {
        s.accounts[0]!.runtimes![0]!.environment = 'Staging';
      }),
    ).toContain('accounts[0].runtimes[0].environment: account acct-small-000001 has no environment');
    expect(
      invalid((s) => {
        s.accounts[0]!.runtimes!.push({ name: 'C', type: 'CLOUD', cloud: 'Nowhere' });
      }),
    ).toContain('accounts[0].runtimes[1].cloud: no account declares a cloud');
    expect(
      invalid((s) => {
        s.accounts[0]!.integrationPacks = [{ pack: 'Missing', version: 1 }];
      }),
    ).toContain('accounts[0].integrationPacks[0].pack: no integration pack');
  });

  it('refuses a runtime listed twice in one account, by its name or by the id of another, but not in two accounts', () => {
    expect(
      invalid((s) => {
        s.accounts[0]!.runtimes!.push({ name: 'Atom One', type: 'ATOM' });
      }),
    ).toContain('accounts[0].runtimes[1].name: runtime "Atom One" is listed twice');
    expect(
      invalid((s) => {
        s.accounts[0]!.runtimes!.push(
          { id: 'rt-first', name: 'First', type: 'ATOM' },
          { name: 'rt-first', type: 'ATOM' },
        );
      }),
    ).toContain('accounts[0].runtimes[2].name: runtime "rt-first" is listed twice');
    const scenario = smallScenario();
    scenario.accounts.push({
      id: 'acct-second-000002',
      name: 'second',
      runtimes: [{ name: 'Atom One', type: 'ATOM' }],
    });
    expect(Object.values(stateFromScenario(scenario, 'test.yaml').runtimes).map((r) => r.name)).toEqual([
      'Atom One',
      'Atom One',
    ]);
  });

  it('refuses a version the calendar does not offer, and a connector without the Atom it requires (R9)', () => {
    expect(
      invalid((s) => {
        s.accounts[0]!.runtimes![0]!.versions = { Atom: '25.01.0' };
      }),
    ).toContain(
      'accounts[0].runtimes[0].versions.Atom: Atom can run its released 26.11.0 or pending 26.12.0, not 25.01.0',
    );
    expect(
      invalid((s) => {
        s.accounts[0]!.runtimes![0]!.versions = { Database: '26.12.0' };
      }),
    ).toContain('versions.Database: Database 26.12.0 requires Atom 26.12.0');
  });

  it('refuses a Platform Release before the clock starts', () => {
    expect(
      invalid((s) => {
        s.calendar.platformRelease = '2026-01-01T00:00:00Z';
      }),
    ).toBe('test.yaml: calendar.platformRelease: must be after clock.start (2026-11-23T08:00:00.000Z)');
  });

  it('reports YAML syntax errors and unreadable files with the file name', async () => {
    const broken = join(dir, 'broken.yaml');
    await writeFile(broken, 'clock:\n  start: [unclosed\n');
    await expect(loadScenarioFile(broken)).rejects.toThrow(`${broken}: line`);
    await expect(loadScenarioFile(join(dir, 'absent.yaml'))).rejects.toThrow(
      'absent.yaml: (file): cannot be read: ENOENT',
    );
  });

  it('refuses versions written as YAML numbers, which would lose digits', async () => {
    const file = join(dir, 'numbers.yaml');
    await writeFile(
      file,
      'clock: { start: 2026-11-23T08:00:00Z }\ncalendar:\n  components:\n    - { name: Atom, released: 26.10 }\naccounts: [{ id: a }]\n',
    );
    await expect(loadScenarioFile(file)).rejects.toThrow(
      'calendar.components[0].released: write the version as a quoted string',
    );
  });
});
