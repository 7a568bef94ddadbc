import { describe, expect, it } from 'vitest';
import { AccountBook, runtimeIdentity } from '../../../controller/domain/accounts.js';
import { account, snapshot } from './builders.js';

const book = new AccountBook([
  { accountId: 'acme-prod-D4E5F6', alias: 'acme-prod' },
  { accountId: 'acme-dev-G7H8I9', alias: 'acme-dev' },
]);

describe('AccountBook', () => {
  it('maps an alias to its account id and passes account ids and unknown names through', () => {
    expect(book.idOf('acme-dev')).toBe('acme-dev-G7H8I9');
    expect(book.idOf('acme-prod-D4E5F6')).toBe('acme-prod-D4E5F6');
    expect(book.idOf('unknown')).toBe('unknown');
    expect(book.knows('acme-dev')).toBe(true);
    expect(book.knows('unknown')).toBe(false);
    expect(book.same('acme-prod', 'acme-prod-D4E5F6')).toBe(true);
    expect(book.same('acme-prod', 'acme-dev')).toBe(false);
  });

  it('prefers an account id over another account that uses the same text as its alias', () => {
    const clash = new AccountBook([{ accountId: 'other-account', alias: 'shared' }, { accountId: 'shared' }]);
    expect(clash.idOf('shared')).toBe('shared');
    const fromSnapshot = AccountBook.ofSnapshot(
      snapshot(account('shared', []), account('other-account', [], { alias: 'shared' })),
    );
    expect(fromSnapshot.idOf('shared')).toBe('shared');
  });

  it('gives reports account id → alias', () => {
    expect(book.aliases()).toEqual({ 'acme-prod-D4E5F6': 'acme-prod', 'acme-dev-G7H8I9': 'acme-dev' });
    expect(book.names().sort()).toEqual(['acme-dev', 'acme-dev-G7H8I9', 'acme-prod', 'acme-prod-D4E5F6']);
  });
});

describe('runtimeIdentity', () => {
  it('is the same for one runtime pinned with the alias and with the account id', () => {
    const byAlias = runtimeIdentity(book, { account: 'acme-prod', runtime: { name: 'Prod West Atom' } });
    const byId = runtimeIdentity(book, { account: 'acme-prod-D4E5F6', runtime: { name: 'Prod West Atom' } });
    expect(byAlias).toBe(byId);
    expect(runtimeIdentity(book, { account: 'acme-dev', runtime: { name: 'Prod West Atom' } })).not.toBe(
      byAlias,
    );
  });

  it('matches a pin by runtime name with a pin by runtime id once names can be resolved', () => {
    const byName = { account: 'acme-prod', runtime: { name: 'Prod West Atom' } };
    const byRuntimeId = { account: 'acme-prod-D4E5F6', runtime: { id: 'rt-west' } };
    expect(runtimeIdentity(book, byName)).not.toBe(runtimeIdentity(book, byRuntimeId));
    const resolve = (accountId: string, name: string) =>
      accountId === 'acme-prod-D4E5F6' && name === 'Prod West Atom' ? 'rt-west' : undefined;
    expect(runtimeIdentity(book, byName, resolve)).toBe(runtimeIdentity(book, byRuntimeId, resolve));
  });
});
