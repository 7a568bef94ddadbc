import { describe, expect, it } from 'vitest';
import { checkTenancy, deniedPlan } from '../../../controller/reconciler/tenancy.js';
import { atomVersion, DEMO_NOW } from '../domain/builders.js';

const aliases = new Map([
  ['acme-prod', 'acme-prod-D4E5F6'],
  ['acme-prod-D4E5F6', 'acme-prod-D4E5F6'],
  ['acme-eu', 'acme-eu-J1K2L3'],
  ['acme-eu-J1K2L3', 'acme-eu-J1K2L3'],
]);

describe('tenancy', () => {
  it('allows everything when no tenancy is configured', () => {
    expect(checkTenancy(atomVersion('a'), 'acme-prod-D4E5F6', undefined, aliases)).toBeUndefined();
  });

  it('allows an account listed for the namespace by alias or by id', () => {
    const byAlias = { namespaces: { integration: ['acme-prod'] } };
    const byId = { namespaces: { integration: ['acme-prod-D4E5F6'] } };
    expect(checkTenancy(atomVersion('a'), 'acme-prod-D4E5F6', byAlias, aliases)).toBeUndefined();
    expect(checkTenancy(atomVersion('a'), 'acme-prod-D4E5F6', byId, aliases)).toBeUndefined();
  });

  it('denies an account of another namespace and a namespace that is not listed', () => {
    const tenancy = { namespaces: { integration: ['acme-eu'], emea: ['acme-prod'] } };
    const denial = checkTenancy(atomVersion('a'), 'acme-prod-D4E5F6', tenancy, aliases);
    expect(denial?.message).toContain('namespace integration may target only acme-eu');
    const unlisted = { ...atomVersion('a'), namespace: 'other' };
    expect(checkTenancy(unlisted, 'acme-prod-D4E5F6', tenancy, aliases)?.message).toContain(
      'may target no account',
    );
  });

  it('blocks every pin of a denied AtomVersion with AccountNotAllowed and plans no change', () => {
    const doc = atomVersion('a', {
      version: '26.12.0',
      connectors: [{ name: 'HTTP Client', channel: 'pending' }],
    });
    const plan = deniedPlan(doc, 'acme-prod-D4E5F6', { message: 'not allowed', advice: 'move it' }, DEMO_NOW);
    expect(plan.changes).toEqual([]);
    expect(plan.pins.map((pin) => [pin.name, pin.wanted, pin.reason])).toEqual([
      ['Atom', '26.12.0', 'AccountNotAllowed'],
      ['HTTP Client', 'channel:pending', 'AccountNotAllowed'],
    ]);
  });
});
