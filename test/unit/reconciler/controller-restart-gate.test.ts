import { describe, expect, it } from 'vitest';
import type { PlannedRequest, RuntimeState } from '../../../controller/domain/types.js';
import { RestartGate } from '../../../controller/reconciler/restart-gate.js';

function request(
  runtimeId: string,
  classification: 'PROD' | 'TEST',
  kind: PlannedRequest['kind'] = 'AtomVersionUpdateRequest',
): PlannedRequest {
  return {
    accountId: 'acme-prod-D4E5F6',
    runtimeId,
    runtimeName: runtimeId,
    classification,
    kind,
    action: 'APPLY_PENDING',
    components: ['Atom'],
    wave: 1,
    keys: [`integration/${runtimeId}`],
  };
}

describe('restart gate across AtomVersions', () => {
  it('lets at most maxConcurrentRestarts runtimes restart at once', () => {
    const gate = new RestartGate(2);
    gate.started('a', 'TEST');
    gate.started('b', 'TEST');
    const verdict = gate.admit('integration/c', [request('c', 'TEST')]);
    expect(verdict).toMatchObject({ admitted: false, reason: 'WaitingForRestartSlot' });
    gate.finished('a');
    expect(gate.admit('integration/c', [request('c', 'TEST')])).toEqual({ admitted: true });
  });

  it('admission reserves the slot at once, so passes checked one after another cannot overrun the cap', () => {
    const gate = new RestartGate(2);
    expect(gate.admit('integration/a', [request('a', 'TEST')]).admitted).toBe(true);
    expect(gate.admit('integration/b', [request('b', 'TEST')]).admitted).toBe(true);
    expect(gate.admit('integration/c', [request('c', 'TEST')])).toMatchObject({
      admitted: false,
      reason: 'WaitingForRestartSlot',
    });
    gate.finished('a');
    expect(gate.admit('integration/c', [request('c', 'TEST')]).admitted).toBe(true);
    expect(gate.restartingCount).toBe(2);
  });

  it('holds PROD runtimes while a TEST runtime restarts or waits to', () => {
    const gate = new RestartGate(4);
    gate.noteTestChange('integration/staging');
    expect(gate.admit('integration/prod', [request('prod', 'PROD')])).toMatchObject({
      admitted: false,
      reason: 'WaitingForTestRuntimes',
    });
    gate.clearTestChange('integration/staging');
    gate.started('staging', 'TEST');
    expect(gate.admit('integration/prod', [request('prod', 'PROD')]).admitted).toBe(false);
    gate.finished('staging');
    expect(gate.admit('integration/prod', [request('prod', 'PROD')]).admitted).toBe(true);
  });

  it('does not hold a PROD runtime for its own TEST note or for other PROD restarts', () => {
    const gate = new RestartGate(4);
    gate.noteTestChange('integration/prod');
    gate.started('other-prod', 'PROD');
    expect(gate.admit('integration/prod', [request('prod', 'PROD')]).admitted).toBe(true);
  });

  it('treats a restart of unknown classification (found after a restart of atomsync) like TEST', () => {
    const gate = new RestartGate(4);
    gate.started('recovered', undefined);
    expect(gate.admit('integration/prod', [request('prod', 'PROD')]).admitted).toBe(false);
  });

  it('never holds pack requests, which do not restart the runtime', () => {
    const gate = new RestartGate(1);
    gate.started('a', 'TEST');
    gate.noteTestChange('integration/other');
    const verdict = gate.admit('integration/prod', [
      request('prod', 'PROD', 'IntegrationPackPendingUpdateRequest'),
    ]);
    expect(verdict).toEqual({ admitted: true });
  });

  it('a deep read showing only RESTARTING drops the request mark, so the slot frees with the restart (journal deleted)', () => {
    const gate = new RestartGate(1);
    const staging = (restarting: boolean, requests: number): RuntimeState => ({
      id: 'staging',
      name: 'Staging Atom',
      type: 'ATOM',
      status: 'ONLINE',
      accountId: 'acme-prod-D4E5F6',
      owned: true,
      classification: 'TEST',
      restarting,
      components: [],
      packs: [],
      outstanding: Array.from({ length: requests }, (_, i) => ({
        kind: 'AtomVersionUpdateRequest' as const,
        id: `r${i}`,
        status: 'RESTARTING' as const,
      })) as RuntimeState['outstanding'],
    });
    gate.notePlatform([staging(true, 2)], () => true); // a request of a killed run, in progress
    gate.notePlatform([staging(true, 0)], () => true); // the requests ended; the runtime still restarts
    gate.notePlatform([staging(false, 0)], () => false); // shallow reads (other keys) see it back up
    expect(gate.admit('integration/prod', [request('prod', 'PROD')])).toEqual({ admitted: true });
  });
});
