// When is a saved plan stale, and how is what moved named (controller/domain/saved-plan.ts)?
import { describe, expect, it } from 'vitest';
import {
  inputChanges,
  platformChanges,
  requestChanges,
  type ObservedRuntime,
  type PlanInputs,
} from '../../../controller/domain/saved-plan.js';
import type { PlannedRequest } from '../../../controller/domain/types.js';

const inputs = (pins: Record<string, string>, over: Partial<PlanInputs> = {}): PlanInputs => ({
  hash: `sha256:${JSON.stringify(pins)}`,
  config: { file: 'atomsync.yaml', hash: 'sha256:c' },
  pins: Object.entries(pins).map(([key, hash]) => ({ key, hash, file: `pins/${key}.yaml` })),
  target: [],
  ...over,
});

const runtime = (over: Partial<ObservedRuntime> = {}): ObservedRuntime => ({
  accountId: 'acct',
  runtimeId: 'rt-1',
  runtimeName: 'Staging Atom',
  status: 'ONLINE',
  components: [{ name: 'Atom', version: '26.11.0', pendingVersion: '26.12.0' }],
  packs: [],
  ...over,
});

const request = (over: Partial<PlannedRequest> = {}): PlannedRequest => ({
  accountId: 'acct',
  runtimeId: 'rt-1',
  runtimeName: 'Staging Atom',
  kind: 'AtomVersionUpdateRequest',
  action: 'APPLY_PENDING',
  components: ['Atom'],
  expected: [{ name: 'Atom', current: '26.11.0', target: '26.12.0' }],
  wave: 1,
  keys: ['integration/staging'],
  ...over,
});

describe('a saved plan is stale', () => {
  it('when pins were changed, added or removed, the config changed, or --target differs', () => {
    const saved = inputs({ a: '1', b: '2' });
    expect(inputChanges(saved, inputs({ a: '1', b: '2' }))).toEqual([]);
    expect(
      inputChanges(
        saved,
        inputs(
          { a: '9', c: '3' },
          { config: { file: 'atomsync.yaml', hash: 'sha256:d' }, target: ['acme-dev'] },
        ),
      ),
    ).toEqual([
      '--target was every account, now acme-dev',
      'the config atomsync.yaml changed',
      'pin a changed (pins/a.yaml)',
      'pin c was added (pins/c.yaml)',
      'pin b was removed (pins/b.yaml)',
    ]);
  });

  it('when a runtime it was made from shows other versions, or is gone', () => {
    const moved = runtime({
      components: [{ name: 'Atom', version: '26.11.0', pendingVersion: '26.12.1' }],
      status: 'OFFLINE',
    });
    expect(platformChanges([runtime()], [runtime()])).toEqual([]);
    expect(platformChanges([runtime()], [moved])).toEqual([
      'Staging Atom (acct) was ONLINE, now OFFLINE',
      'Staging Atom (acct): Atom was 26.11.0, pending 26.12.0, now 26.11.0, pending 26.12.1',
    ]);
    expect(platformChanges([runtime()], [])).toEqual([
      'Staging Atom (acct) is no longer read by this plan or not on the platform',
    ]);
  });

  it('when planning again now would send other requests (a window closed, a date passed)', () => {
    expect(requestChanges([request()], [request()])).toEqual([]);
    expect(requestChanges([request()], [])).toEqual([
      'planned now, wave 1 APPLY_PENDING Atom on Staging Atom (acct) would not be sent',
    ]);
    expect(requestChanges([], [request({ wave: 2 })])).toEqual([
      'planned now, wave 2 APPLY_PENDING Atom on Staging Atom (acct) would be sent too',
    ]);
  });
});
