// A small, valid scenario to build on in code (tests, experiments): one account with a PROD and a TEST
// environment, one Atom, an admin and a viewer, a calendar with a Runtime Release (Atom, HTTP Client,
// Database which requires the new Atom) and an Early Access connector (Salesforce). Clock: manual.
// Every call returns a fresh object, so callers may change it freely before createWorld({scenario}).
import type { Scenario } from '../../../simulator/scenario/scenario-types.js';

export const SMALL = {
  accountId: 'acct-small-000001',
  accountName: 'small',
  admin: { userId: 'admin@small.test', token: 'admin-token' },
  viewer: { userId: 'viewer@small.test', token: 'viewer-token' },
  start: '2026-11-23T08:00:00.000Z',
  platformRelease: '2026-12-05T02:00:00.000Z',
} as const;

export function smallScenario(): Scenario {
  return {
    apiVersion: 'atomsync.io/v1alpha1',
    kind: 'SimulatorScenario',
    clock: { start: SMALL.start, mode: 'manual' },
    timing: { inactivityWaitSeconds: 2, restartSecondsPerNode: 1 },
    rateLimitPerSecond: 0,
    calendar: {
      platformRelease: SMALL.platformRelease,
      components: [
        { name: 'Atom', released: '26.11.0', pending: '26.12.0', source: 'RUNTIME_RELEASE' },
        { name: 'HTTP Client', released: '26.11.0', pending: '26.12.0', source: 'RUNTIME_RELEASE' },
        {
          name: 'Database',
          released: '26.11.0',
          pending: '26.12.0',
          source: 'RUNTIME_RELEASE',
          requiresAtomVersion: '26.12.0',
        },
        { name: 'Salesforce', released: '26.11.1', pending: '26.11.2', source: 'EARLY_ACCESS' },
      ],
    },
    roles: [
      { name: 'Admin', privileges: ['API', 'ATOM_MANAGEMENT'] },
      { name: 'Viewer', privileges: ['API', 'ATOM_MANAGEMENT_READ_ONLY'] },
    ],
    users: [
      { ...SMALL.admin, roles: ['Admin'] },
      { ...SMALL.viewer, roles: ['Viewer'] },
    ],
    accounts: [
      {
        id: SMALL.accountId,
        name: SMALL.accountName,
        environments: [
          { name: 'Prod', classification: 'PROD' },
          { name: 'Test', classification: 'TEST' },
        ],
        runtimes: [{ name: 'Atom One', type: 'ATOM', environment: 'Prod' }],
      },
    ],
    integrationPacks: [],
  };
}
