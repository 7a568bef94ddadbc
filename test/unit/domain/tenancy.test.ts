import { describe, expect, it } from 'vitest';
import { AccountBook } from '../../../controller/domain/accounts.js';
import { plan } from '../../../controller/domain/plan.js';
import { tenancyDenial } from '../../../controller/domain/tenancy.js';
import { acmeProd, atomVersion, planOptions, runtime } from './builders.js';

const book = new AccountBook([
  { accountId: 'acme-prod-D4E5F6', alias: 'acme-prod' },
  { accountId: 'acme-dev-G7H8I9', alias: 'acme-dev' },
  { accountId: 'acme-eu-J1K2L3', alias: 'acme-eu' },
]);

describe('tenancyDenial', () => {
  it('allows everything when no tenancy is configured', () => {
    expect(tenancyDenial(undefined, book, 'anywhere', 'acme-eu')).toBeUndefined();
  });

  it('allows an account listed for the namespace, whether the list or the pin uses the alias or the id', () => {
    const byAlias = { namespaces: { integration: ['acme-prod'] } };
    const byId = { namespaces: { integration: ['acme-prod-D4E5F6'] } };
    for (const tenancy of [byAlias, byId]) {
      expect(tenancyDenial(tenancy, book, 'integration', 'acme-prod')).toBeUndefined();
      expect(tenancyDenial(tenancy, book, 'integration', 'acme-prod-D4E5F6')).toBeUndefined();
    }
  });

  it('refuses an account of another namespace, an unlisted namespace and an empty list', () => {
    const tenancy = { namespaces: { integration: ['acme-eu'], emea: ['acme-prod'], sandbox: [] } };
    expect(tenancyDenial(tenancy, book, 'integration', 'acme-prod')?.message).toBe(
      'namespace integration may target only acme-eu; account acme-prod is not allowed (tenancy)',
    );
    expect(tenancyDenial(tenancy, book, 'other', 'acme-prod')?.message).toContain('may target no account');
    expect(tenancyDenial(tenancy, book, 'sandbox', 'acme-prod')?.advice).toContain(
      'tenancy.namespaces.sandbox',
    );
  });

  it('does not take a name outside the book for a configured account', () => {
    const tenancy = { namespaces: { integration: ['someone-else-X1'] } };
    expect(tenancyDenial(tenancy, book, 'integration', 'acme-prod')).toBeDefined();
    expect(tenancyDenial(tenancy, book, 'integration', 'someone-else-X1')).toBeUndefined();
  });
});

describe('plan() with tenancy', () => {
  it('blocks every pin of a refused AtomVersion with AccountNotAllowed, plans no change and reports no drift', () => {
    const doc = atomVersion('a', {
      version: '26.12.0',
      connectors: [{ name: 'HTTP Client', channel: 'pending' }],
    });
    const tenancy = { namespaces: { integration: ['acme-dev'] } };
    const result = plan(
      [doc],
      acmeProd([runtime('Prod West Atom')]),
      planOptions({ accounts: book, tenancy }),
    );
    expect(result.changes).toEqual([]);
    expect(result.drift).toEqual([]);
    expect(result.summary).toMatchObject({ pins: 2, blocked: 2, toChange: 0, requests: 0 });
    expect(result.blocked).toHaveLength(2);
    expect(result.pins.map((pin) => [pin.name, pin.wanted, pin.outcome, pin.reason])).toEqual([
      ['Atom', '26.12.0', 'Blocked', 'AccountNotAllowed'],
      ['HTTP Client', 'channel:pending', 'Blocked', 'AccountNotAllowed'],
    ]);
    expect(result.pins[0]?.advice).toContain('tenancy.namespaces.integration');
  });

  it('outranks AccountUnavailable: a refused account is refused whether or not it was read', () => {
    const doc = atomVersion('a', { account: 'acme-eu', version: '26.12.0' });
    const tenancy = { namespaces: { integration: ['acme-prod'] } };
    const pin = plan([doc], acmeProd([]), planOptions({ accounts: book, tenancy })).pins[0];
    expect(pin).toMatchObject({ reason: 'AccountNotAllowed', accountId: 'acme-eu-J1K2L3' });
  });

  it('plans an allowed AtomVersion as without tenancy', () => {
    const doc = atomVersion('a', { version: '26.12.0' });
    const world = acmeProd([runtime('Prod West Atom')]);
    const tenancy = { namespaces: { integration: ['acme-prod-D4E5F6'] } };
    expect(plan([doc], world, planOptions({ accounts: book, tenancy }))).toEqual(
      plan([doc], world, planOptions()),
    );
  });
});
