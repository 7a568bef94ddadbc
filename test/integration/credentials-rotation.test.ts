// Credentials are read when a call is made (issue 10, Why 1): the clients of one run keep working after a
// token file is rewritten, and an account whose variable is not set costs nothing until something calls
// it — then that call, and only that one, fails with a message naming the variable.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountConfig } from '../../controller/config/types.js';
import { PlatformError } from '../../controller/platform/errors.js';
import { readPrincipal } from '../../controller/platform/principal.js';
import { createAccountTargets } from '../../controller/platform/account-targets.js';
import {
  ACME_EU,
  ACME_PROD,
  ADMIN_TOKEN,
  SimHandle,
  VIEWER_TOKEN,
  removeDir,
  tempDir,
} from './controller-harness.js';
import { platformFailureOf } from '../unit/platform/test-client.js';

let sim: SimHandle;
let dir: string;

beforeEach(async () => {
  sim = await SimHandle.start();
  dir = await tempDir('credentials-rotation');
});
afterEach(async () => {
  await sim.close();
  await removeDir(dir);
});

function config(accounts: AccountConfig[]) {
  return {
    accounts: Object.fromEntries(accounts.map((account) => [account.alias, account])),
    platform: { url: sim.url, requestsPerSecond: 0, timeoutSeconds: 5 },
  };
}

describe('platform credentials under one run', () => {
  it('uses a rewritten token file on the next call, with the same clients', async () => {
    const tokenFile = join(dir, 'acme-prod.token');
    await writeFile(tokenFile, 'revoked-token\n');
    const account = {
      alias: 'acme-prod',
      accountId: ACME_PROD,
      username: 'BOOMI_TOKEN.admin@demo.atomsync',
      tokenFile,
    };
    const seen: string[] = [];
    const [target] = createAccountTargets(config([account]), sim.url, {
      onSecret: (_user, token) => seen.push(token),
    });

    const refused = await platformFailureOf(readPrincipal(target!.client));
    expect(refused).toBeInstanceOf(PlatformError);
    expect(refused.code).toBe('Unauthorized');

    await writeFile(tokenFile, `${ADMIN_TOKEN}\n`);
    const principal = await readPrincipal(target!.client);

    expect(principal.userId).toBe('admin@demo.atomsync');
    expect(principal.privileges).toContain('ATOM_MANAGEMENT');
    expect(seen).toContain(ADMIN_TOKEN);
  });

  it('starts without a credential for an account nobody calls; a call to it names the variable', async () => {
    const viewerFile = join(dir, 'viewer.token');
    await writeFile(viewerFile, `${VIEWER_TOKEN}\n`);
    const targets = createAccountTargets(
      config([
        {
          alias: 'acme-eu',
          accountId: ACME_EU,
          usernameEnv: 'ATOMSYNC_TEST_UNSET_USER',
          tokenEnv: 'ATOMSYNC_TEST_UNSET_TOKEN',
        },
        {
          alias: 'acme-prod',
          accountId: ACME_PROD,
          username: 'BOOMI_TOKEN.viewer@demo.atomsync',
          tokenFile: viewerFile,
        },
      ]),
      sim.url,
    );
    const [eu, prod] = targets;

    expect((await readPrincipal(prod!.client)).userId).toBe('viewer@demo.atomsync');
    const error = await platformFailureOf(readPrincipal(eu!.client));
    expect(error).toBeInstanceOf(PlatformError);
    expect(error.code).toBe('NoCredential');
    expect(error.message).toContain(
      'account acme-eu: environment variable ATOMSYNC_TEST_UNSET_USER (usernameEnv) is not set',
    );
  });
});
