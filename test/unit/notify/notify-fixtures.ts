// Plans as the planner makes them, reduced to what notify reads: pins with outcomes, drift, steps.
import type { NotifyConfig } from '../../../controller/config/types.js';
import type { PinResult, Plan } from '../../../controller/domain/types.js';

export function manualPin(overrides: Partial<PinResult> = {}): PinResult {
  return {
    key: 'default/staging',
    accountId: 'acme-prod-D4E5F6',
    runtimeId: 'atom-staging',
    runtimeName: 'Staging Atom',
    kind: 'connector',
    name: 'Salesforce',
    wanted: '24.10.1',
    target: '24.10.1',
    current: '24.9.0',
    outcome: 'Manual',
    message: 'the platform has no API to apply pending versions',
    manualSteps: ['Go to Manage > Atom Management.', 'Select "Staging Atom".', 'Apply the pending versions.'],
    ...overrides,
  };
}

export function inSync(pin: PinResult, current = pin.target ?? pin.wanted): PinResult {
  const { manualSteps: _steps, ...rest } = pin;
  return { ...rest, outcome: 'InSync', current, message: 'in sync' };
}

export function planOf(pins: PinResult[], drift: Plan['drift'] = []): Plan {
  const count = (outcome: string) => pins.filter((pin) => pin.outcome === outcome).length;
  return {
    formatVersion: '2',
    generatedAt: '2026-12-03T10:00:00.000Z',
    summary: {
      atomVersions: new Set(pins.map((pin) => pin.key)).size,
      pins: pins.length,
      inSync: count('InSync'),
      toChange: 0,
      requests: 0,
      waiting: count('Waiting'),
      manual: count('Manual'),
      blocked: count('Blocked'),
      drifted: drift.length,
    },
    pins,
    drift,
    changes: [],
    blocked: pins.filter((pin) => pin.outcome === 'Blocked'),
    manual: pins.filter((pin) => pin.outcome === 'Manual'),
  };
}

export function notifyConfig(
  receivers: NotifyConfig['receivers'],
  overrides: Partial<NotifyConfig> = {},
): NotifyConfig {
  return { receivers, ratePerMinute: 6000, maxAttempts: 4, ...overrides };
}
