// The configured accounts as the domain's account book (controller/domain/accounts.ts).
import { AccountBook } from '../domain/accounts.js';
import type { AtomsyncConfig } from './types.js';

export function accountBookOf(config: Pick<AtomsyncConfig, 'accounts'>): AccountBook {
  return new AccountBook(Object.values(config.accounts));
}
