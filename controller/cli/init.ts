// `atomsync init`: a starting point for a new user — an atomsync.yaml with comments and a pins folder
// with one file per account that pins what runs now (as `import` does), so `atomsync plan` right after
// it shows no change. Every account is read before anything is written: an account that cannot be read
// stops init with its name and why, and nothing is written (never half a setup).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import type { AccountSnapshot } from '../domain/types.js';
import { observeAccount } from '../platform/observe.js';
import { openPlatform } from './context.js';
import { CliError } from './errors.js';
import { refuseExisting, renderImport } from './import.js';
import { collect } from './plan-options.js';
import { schemaLine } from './schema-line.js';

interface InitFlags {
  dir: string;
  url: string;
  account: string[];
  username?: string;
  usernameEnv?: string;
  tokenEnv?: string;
  tokenFile?: string;
  namespace: string;
  force?: boolean;
}

interface InitAccount {
  alias: string;
  accountId: string;
}

interface Credentials {
  username?: string;
  usernameEnv?: string;
  tokenEnv?: string;
  tokenFile?: string;
}

const ALIAS = /^[A-Za-z0-9._-]+$/;

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('Write a starter atomsync.yaml and a pins folder from what runs in the accounts it can read')
    .requiredOption('--url <url>', 'the platform API base URL, e.g. https://api.boomi.com')
    .requiredOption(
      '-a, --account <alias=accountId>',
      'an account to manage, e.g. acme-prod=acme-prod-D4E5F6 (repeatable)',
      collect,
      [],
    )
    .option('--username <name>', 'the API user, BOOMI_TOKEN.<user> (or --username-env)')
    .option('--username-env <VAR>', 'environment variable holding the API user')
    .option('--token-env <VAR>', 'environment variable holding the API token (or --token-file)')
    .option('--token-file <file>', 'file holding the API token, relative to --dir')
    .option('-d, --dir <dir>', 'folder to write atomsync.yaml and pins/ into', '.')
    .option('-n, --namespace <ns>', 'metadata.namespace of the written AtomVersions', 'default')
    .option('--force', 'overwrite existing files')
    .addHelpText(
      'after',
      `
Reads every account once (the runtimes, their connector and integration pack versions) with the given
credential, then writes <dir>/atomsync.yaml and <dir>/pins/<alias>.yaml. The token itself is never written:
the config names the variable or file that holds it. Pin files start with the
"# yaml-language-server: $schema=" line, so editors complete and check them.

Examples:
  atomsync init --url https://api.boomi.com --account acme-prod=acme-prod-D4E5F6 \\
    --username BOOMI_TOKEN.ops@acme.example --token-env BOOMI_TOKEN
  atomsync init --url https://api.boomi.com -a prod=acme-prod-D4E5F6 -a dev=acme-dev-G7H8I9 \\
    --username-env BOOMI_USER --token-file secrets/boomi.token --dir gitops/ --namespace integration`,
    )
    .action(async (flags: InitFlags) => {
      const accounts = parseAccounts(flags.account);
      const credentials = credentialsOf(flags);
      const snapshots = await readAccounts(flags, accounts, credentials);
      const pinsDir = path.join(flags.dir, 'pins');
      const files = [
        { file: path.join(flags.dir, 'atomsync.yaml'), text: renderConfig(flags, accounts, credentials) },
        ...snapshots.map((account) => ({
          file: path.join(pinsDir, `${account.alias}.yaml`),
          text: renderPinFile(account, flags.namespace, pinsDir),
        })),
      ];
      if (!flags.force) await refuseExisting(files.map((f) => f.file));
      await mkdir(pinsDir, { recursive: true });
      for (const { file, text } of files) await writeFile(file, text);
      const config = files[0]!.file;
      process.stdout.write(`${config}: ${accounts.length} account(s)\n`);
      for (const account of snapshots)
        process.stdout.write(
          `${path.join(pinsDir, `${account.alias}.yaml`)}: ${account.runtimes.length} runtime(s) pinned at their current versions\n`,
        );
      process.stdout.write(
        `\nNext:\n  atomsync plan -c ${config}      # no change: the pins are what runs\n` +
          `  atomsync ui -c ${config}        # the fleet dashboard at http://127.0.0.1:8081/ui\n`,
      );
    });
}

function parseAccounts(values: readonly string[]): InitAccount[] {
  if (values.length === 0) throw new CliError('give at least one --account alias=accountId');
  const accounts = values.map((value) => {
    const [alias, accountId, ...rest] = value.split('=');
    if (!alias || !accountId || rest.length > 0 || !ALIAS.test(alias))
      throw new CliError(
        `--account ${value}: expected alias=accountId, e.g. acme-prod=acme-prod-D4E5F6 (alias: letters, digits, ".", "_", "-")`,
      );
    return { alias, accountId };
  });
  const aliases = accounts.map((a) => a.alias);
  const repeated = aliases.find((alias, index) => aliases.indexOf(alias) !== index);
  if (repeated) throw new CliError(`--account: the alias ${repeated} is given twice`);
  return accounts;
}

function credentialsOf(flags: InitFlags): Credentials {
  if ((flags.username === undefined) === (flags.usernameEnv === undefined))
    throw new CliError('give exactly one of --username and --username-env');
  if ((flags.tokenEnv === undefined) === (flags.tokenFile === undefined))
    throw new CliError(
      'give exactly one of --token-env and --token-file (the token itself is never written)',
    );
  return {
    ...(flags.username !== undefined ? { username: flags.username } : {}),
    ...(flags.usernameEnv !== undefined ? { usernameEnv: flags.usernameEnv } : {}),
    ...(flags.tokenEnv !== undefined ? { tokenEnv: flags.tokenEnv } : {}),
    ...(flags.tokenFile !== undefined ? { tokenFile: flags.tokenFile } : {}),
  };
}

/**
 * Reads every account through the config init is about to write (loaded by the same loader as every
 * verb), kept in a temporary folder until all accounts answered.
 */
async function readAccounts(
  flags: InitFlags,
  accounts: readonly InitAccount[],
  credentials: Credentials,
): Promise<AccountSnapshot[]> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'atomsync-init-'));
  try {
    const absolute = credentials.tokenFile
      ? { ...credentials, tokenFile: path.resolve(flags.dir, credentials.tokenFile) }
      : credentials;
    const configFile = path.join(scratch, 'atomsync.yaml');
    await writeFile(configFile, renderConfig(flags, accounts, absolute));
    const platform = await openPlatform(configFile);
    try {
      const snapshots: AccountSnapshot[] = [];
      for (const target of platform.targets) {
        const account = await observeAccount(target, { runtimes: [], withPacks: [], all: true });
        if (account.error)
          throw new CliError(
            `cannot read account ${target.alias} (${target.accountId}): ${account.error.message}; nothing was written`,
          );
        snapshots.push({ ...account, alias: target.alias ?? target.accountId });
      }
      return snapshots;
    } finally {
      await platform.close();
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function renderConfig(
  { url, namespace }: Pick<InitFlags, 'url' | 'namespace'>,
  accounts: readonly InitAccount[],
  credentials: Credentials,
): string {
  const credentialLines = Object.entries(credentials).map(([key, value]) => `    ${key}: ${yamlText(value)}`);
  return [
    '# atomsync configuration, written by `atomsync init`. Every key: docs/configuration.md.',
    '# Check the pins with: atomsync validate pins; see what would change with: atomsync plan',
    'apiVersion: atomsync.io/v1alpha1',
    'kind: Config',
    'platform:',
    `  url: ${yamlText(url)}`,
    '  # The platform allows 10 requests per second per account; atomsync stays below it.',
    '  requestsPerSecond: 10',
    'accounts:',
    '  # Keyed by the alias that pins name in spec.account. The token is read from the variable or file',
    '  # named here when atomsync calls the platform; it is never written into this file.',
    ...accounts.flatMap((account) => [
      `  ${account.alias}:`,
      `    accountId: ${yamlText(account.accountId)}`,
      ...credentialLines,
    ]),
    'sources:',
    '  # The pins init wrote from what runs now: `atomsync plan` shows no change until you edit them.',
    '  # In production, point a git source at the repository holding them (docs/configuration.md).',
    '  # namespace: the namespace of the AtomVersions in this folder (tenancy is granted per namespace).',
    `  - { kind: directory, path: pins, namespace: ${yamlText(namespace)} }`,
    '# Runtimes restarting at the same time (a restart wave); TEST runtimes restart before PROD.',
    'maxConcurrentRestarts: 2',
    '# Where `atomsync run` keeps its state and history (keep it out of git).',
    'stateDir: .atomsync',
    '',
  ].join('\n');
}

function renderPinFile(account: AccountSnapshot, namespace: string, pinsDir: string): string {
  const body = renderImport(account, namespace);
  return [
    schemaLine(pinsDir),
    `# ${account.alias} (account ${account.accountId}): written by \`atomsync init\` from what ran then.`,
    '# Each AtomVersion pins the exact versions running now. To take control, change a version, or write',
    '# `channel: released` / `channel: pending` instead of `version:` (docs/pins.md).',
    body === '' ? '# No runtime in this account yet.\n' : body,
  ].join('\n');
}

/** A plain scalar when YAML reads it back as the same string, else double-quoted. */
function yamlText(value: string): string {
  return /^[A-Za-z0-9_./:@-][A-Za-z0-9_./:@ -]*$/.test(value) && !/[: ]$/.test(value) && !/: /.test(value)
    ? value
    : JSON.stringify(value);
}
