import { describe, expect, it } from 'vitest';
import type { AccountConfig, TenancyConfig } from '../../../controller/config/types.js';
import type { DesiredAtomVersion } from '../../../controller/domain/types.js';
import {
  accountNotAllowedStatus,
  checkTenancy,
  partitionByTenancy,
} from '../../../controller/kube/tenancy.js';

const accounts: Record<string, AccountConfig> = {
  'acme-prod': { alias: 'acme-prod', accountId: 'acme-prod-D4E5F6', username: 'u', tokenEnv: 'T' },
  'acme-dev': { alias: 'acme-dev', accountId: 'acme-dev-G7H8I9', username: 'u', tokenEnv: 'T' },
  'acme-eu': { alias: 'acme-eu', accountId: 'acme-eu-J1K2L3', username: 'u', tokenEnv: 'T' },
};

const tenancy: TenancyConfig = {
  namespaces: { integration: ['acme-prod', 'acme-dev-G7H8I9'], 'team-eu': ['acme-eu'], sandbox: [] },
};

function desired(namespace: string, account: string, name = 'pin'): DesiredAtomVersion {
  return {
    key: `${namespace}/${name}`,
    name,
    namespace,
    generation: '3',
    origin: { source: 'kubernetes' },
    spec: {
      account,
      runtime: { name: 'Dev Atom' },
      connectors: [],
      integrationPacks: [],
      policy: { mode: 'enforce', suspend: false, allowRollback: true, allowPackReattach: false, windows: [] },
    },
  };
}

describe('tenancy', () => {
  it('allows the accounts a namespace lists, by alias or by account id', () => {
    expect(checkTenancy('integration', 'acme-prod', tenancy, accounts)).toEqual({ allowed: true });
    expect(checkTenancy('integration', 'acme-prod-D4E5F6', tenancy, accounts)).toEqual({ allowed: true });
    expect(checkTenancy('integration', 'acme-dev', tenancy, accounts)).toEqual({ allowed: true });
  });

  it("refuses another namespace's account with AccountNotAllowed and says what is allowed", () => {
    expect(checkTenancy('integration', 'acme-eu', tenancy, accounts)).toEqual({
      allowed: false,
      reason: 'AccountNotAllowed',
      message:
        'account acme-eu is not allowed here: namespace integration may target only acme-prod, acme-dev-G7H8I9 ' +
        '(tenancy.namespaces in the atomsync config)',
    });
  });

  it('refuses every account to a namespace the tenancy does not list (or lists empty)', () => {
    expect(checkTenancy('team-b', 'acme-prod', tenancy, accounts)).toMatchObject({
      allowed: false,
      message: expect.stringContaining('namespace team-b may not target any account'),
    });
    expect(checkTenancy('sandbox', 'acme-prod', tenancy, accounts).allowed).toBe(false);
  });

  it('refuses an account the config does not know, unless it is listed as is', () => {
    expect(checkTenancy('integration', 'someone-else-X1', tenancy, accounts).allowed).toBe(false);
    const listed: TenancyConfig = { namespaces: { integration: ['someone-else-X1'] } };
    expect(checkTenancy('integration', 'someone-else-X1', listed, accounts)).toEqual({ allowed: true });
  });

  it('allows everything when there is no tenancy section', () => {
    expect(checkTenancy('anywhere', 'acme-eu', undefined, accounts)).toEqual({ allowed: true });
  });

  it('partitions desired state so refused AtomVersions never reach the plan', () => {
    const { allowed, refused } = partitionByTenancy(
      [
        desired('integration', 'acme-prod', 'a'),
        desired('integration', 'acme-eu', 'b'),
        desired('team-eu', 'acme-eu', 'c'),
      ],
      tenancy,
      accounts,
    );
    expect(allowed.map((d) => d.key)).toEqual(['integration/a', 'team-eu/c']);
    expect(refused.map((r) => r.desired.key)).toEqual(['integration/b']);
  });

  it('gives a refused AtomVersion a Stalled status with reason AccountNotAllowed and no pins', () => {
    const [refused] = partitionByTenancy([desired('integration', 'acme-eu')], tenancy, accounts).refused;
    if (!refused) throw new Error('expected a refusal');
    const status = accountNotAllowedStatus(refused, '2026-11-23T08:00:00.000Z');
    expect(status).toMatchObject({
      key: 'integration/pin',
      observedGeneration: '3',
      pins: [],
      synced: 'False',
    });
    expect(status.conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Ready', 'False', 'AccountNotAllowed'],
      ['Stalled', 'True', 'AccountNotAllowed'],
      ['Reconciling', 'False', 'AccountNotAllowed'],
    ]);

    const later = accountNotAllowedStatus(refused, '2026-11-23T09:00:00.000Z', status);
    expect(later.conditions.every((c) => c.lastTransitionTime === '2026-11-23T08:00:00.000Z')).toBe(true);
  });
});
