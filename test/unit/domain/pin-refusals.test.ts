import { describe, expect, it } from 'vitest';
import { AccountBook } from '../../../controller/domain/accounts.js';
import { closestNames, didYouMean } from '../../../controller/domain/closest-names.js';
import { plan } from '../../../controller/domain/plan.js';
import { refusePins } from '../../../controller/domain/pin-refusals.js';
import { acmeProd, atomVersion, planOptions, runtime } from './builders.js';

const book = new AccountBook([
  { accountId: 'acme-prod-D4E5F6', alias: 'acme-prod' },
  { accountId: 'acme-dev-G7H8I9', alias: 'acme-dev' },
]);
const PLATFORM = [
  { id: 'rt-west', name: 'Prod West Atom' },
  { id: 'rt-east', name: 'Prod East Molecule' },
];
const runtimesOf = (accountId: string) => (accountId === 'acme-prod-D4E5F6' ? PLATFORM : undefined);

describe('refusePins', () => {
  it('refuses an account the config does not have, suggesting the closest alias', () => {
    const refusals = refusePins([atomVersion('typo', { account: 'acme-prd' })], book);
    expect(refusals.get('integration/typo')).toMatchObject({
      reason: 'UnknownAccount',
      field: 'spec.account',
      message: "account 'acme-prd' is not configured — did you mean 'acme-prod'?",
    });
  });

  it('refuses both AtomVersions of one runtime written with the alias and with the account id', () => {
    const byAlias = atomVersion('west');
    const byId = atomVersion('west-again', { account: 'acme-prod-D4E5F6' });
    const neighbour = atomVersion('east', { runtime: { name: 'Prod East Molecule' } });
    const refusals = refusePins([byAlias, byId, neighbour], book);
    expect([...refusals.keys()].sort()).toEqual(['integration/west', 'integration/west-again']);
    expect(refusals.get('integration/west')?.message).toContain(
      'is also pinned by integration/west-again in pins/west-again.yaml',
    );
  });

  it('matches a runtime by name and by id only once the platform says which id the name has', () => {
    const byName = atomVersion('west');
    const byId = atomVersion('west-by-id', { runtime: { id: 'rt-west' } });
    expect(refusePins([byName, byId], book).size).toBe(0);
    const refusals = refusePins([byName, byId], book, runtimesOf);
    expect([...refusals.values()].map((r) => r.reason)).toEqual(['DuplicateRuntime', 'DuplicateRuntime']);
  });

  it('refuses a runtime the read account does not have, with the closest names; unread accounts are not judged', () => {
    const typo = atomVersion('typo', { runtime: { name: 'Prod Wets Atom' } });
    const elsewhere = atomVersion('dev', { account: 'acme-dev', runtime: { name: 'Anything' } });
    const refusals = refusePins([typo, elsewhere], book, runtimesOf);
    expect(refusals.get('integration/typo')).toMatchObject({
      reason: 'RuntimeNotFound',
      message:
        "account acme-prod (acme-prod-D4E5F6) has no runtime named 'Prod Wets Atom' — did you mean 'Prod West Atom'?",
    });
    expect(refusals.has('integration/dev')).toBe(false);
  });

  it('the planner blocks every pin of a refused AtomVersion and plans no request for it', () => {
    const docs = [
      atomVersion('west', { version: '26.12.0' }),
      atomVersion('again', { account: 'acme-prod-D4E5F6', version: '26.12.0' }),
    ];
    const refusals = refusePins(docs, book);
    const result = plan(
      docs,
      acmeProd([runtime('Prod West Atom')]),
      planOptions({ accounts: book, refusals }),
    );
    expect(result.changes).toEqual([]);
    expect(result.pins.map((pin) => [pin.key, pin.outcome, pin.reason])).toEqual([
      ['integration/again', 'Blocked', 'DuplicateRuntime'],
      ['integration/west', 'Blocked', 'DuplicateRuntime'],
    ]);
  });
});

describe('closestNames', () => {
  it('offers likely typos, closest first, and nothing for unrelated names', () => {
    expect(closestNames('Prod Wets Atom', ['Prod East Molecule', 'Prod West Atom', 'Staging Atom'])).toEqual([
      'Prod West Atom',
    ]);
    expect(closestNames('qa-atom', ['prod'])).toEqual([]);
    expect(didYouMean(['a', 'b'])).toBe(" — did you mean 'a' or 'b'?");
  });
});
