/** Account aliases from the config (alias by account id), used to label accounts in reports. */
export type AccountAliases = Readonly<Record<string, string>>;

/** The short name for paths: the alias when known, else the account id. */
export function shortAccountName(aliases: AccountAliases | undefined): (accountId: string) => string {
  return (accountId) => aliases?.[accountId] ?? accountId;
}

/** The heading for an account: `acme-prod-D4E5F6 (acme-prod)`, or just the id. */
export function accountHeading(accountId: string, aliases: AccountAliases | undefined): string {
  const alias = aliases?.[accountId];
  return alias && alias !== accountId ? `${accountId} (${alias})` : accountId;
}
