// What every platform-facing verb needs: the config, the platform's URL (embedded or remote), one client
// per configured account, and the desired AtomVersions.
import { loadConfig } from '../config/load-config.js';
import { resolveCredentials } from '../config/credentials.js';
import type { AtomsyncConfig } from '../config/types.js';
import type { DesiredAtomVersion } from '../domain/types.js';
import { AtomSphereClient, RequestCounter } from '../platform/index.js';
import type { AccountTarget } from '../platform/observe.js';
import { formatProblem, loadPins } from '../sources/load-pins.js';
import { CliError } from './errors.js';
import { startEmbeddedPlatform } from './embedded-platform.js';

export interface PlatformContext {
  config: AtomsyncConfig;
  baseUrl: string;
  targets: AccountTarget[];
  counter: RequestCounter;
  close(): Promise<void>;
}

export async function openPlatform(configFile: string): Promise<PlatformContext> {
  const config = await loadConfig(configFile);
  const counter = new RequestCounter();
  let baseUrl: string;
  let close = async (): Promise<void> => {};
  if (config.platform.embedded) {
    const sim = await startEmbeddedPlatform(config, config.platform.embedded.scenario);
    baseUrl = sim.url;
    close = () => sim.close();
  } else {
    baseUrl = config.platform.url;
  }
  try {
    const targets = Object.values(config.accounts).map((account) => {
      const credentials = resolveCredentials(account);
      const client = new AtomSphereClient({
        baseUrl,
        accountId: account.accountId,
        ...(account.partnerAccountId ? { partnerAccountId: account.partnerAccountId } : {}),
        username: credentials.username,
        token: credentials.token,
        requestsPerSecond: config.platform.requestsPerSecond,
        timeoutMs: config.platform.timeoutSeconds * 1000,
        counter,
      });
      return { accountId: account.accountId, alias: account.alias, client };
    });
    return { config, baseUrl, targets, counter, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Pins from --dir, else from the config's directory sources. Any problem stops the command (exit 1). */
export async function loadDesired(
  config: AtomsyncConfig | undefined,
  dirs: string[],
): Promise<DesiredAtomVersion[]> {
  const paths = dirs.length > 0 ? dirs : directorySources(config);
  if (paths.length === 0) {
    throw new CliError('no pins to read: pass --dir DIR or add a `kind: directory` source to the config');
  }
  const { desired, problems } = await loadPins(paths);
  if (problems.length > 0) {
    const lines = problems.map((problem) => `  ${formatProblem(problem)}`);
    throw new CliError(
      `the pins have ${problems.length} problem(s); nothing was planned:\n${lines.join('\n')}`,
    );
  }
  return desired;
}

function directorySources(config: AtomsyncConfig | undefined): string[] {
  return (config?.sources ?? []).flatMap((source) => (source.kind === 'directory' ? [source.path] : []));
}
