// An atomsync.yaml that points at a platform over HTTP (the simulator started by the test, or a server
// of the test's own) instead of the embedded one, with the demo's accounts and tokens.
import { ACME_DEV, ACME_EU, ACME_PROD } from '../../integration/controller-harness.js';

export interface AccountLine {
  alias: string;
  accountId: string;
  tokenFile?: string;
  partnerAccountId?: string;
}

export const DEMO_ACCOUNTS: AccountLine[] = [
  { alias: 'acme-prod', accountId: ACME_PROD },
  { alias: 'acme-dev', accountId: ACME_DEV },
  { alias: 'acme-eu', accountId: ACME_EU },
];

/** The config's text; the pins come from the `pins` folder next to it unless --dir says otherwise. */
export function remoteConfig(
  url: string,
  accounts: AccountLine[] = DEMO_ACCOUNTS,
  timeoutSeconds = 30,
): string {
  const lines = accounts.flatMap((a) => [
    `  ${a.alias}:`,
    `    accountId: ${a.accountId}`,
    `    username: BOOMI_TOKEN.admin@demo.atomsync`,
    `    tokenFile: ${a.tokenFile ?? 'sim/demo-admin.token'}`,
    ...(a.partnerAccountId ? [`    partnerAccountId: ${a.partnerAccountId}`] : []),
  ]);
  return [
    'apiVersion: atomsync.io/v1alpha1',
    'kind: Config',
    `platform: { url: "${url}", requestsPerSecond: 100, timeoutSeconds: ${timeoutSeconds} }`,
    'accounts:',
    ...lines,
    'sources:',
    '  - { kind: directory, path: pins, namespace: integration }',
    '',
  ].join('\n');
}
