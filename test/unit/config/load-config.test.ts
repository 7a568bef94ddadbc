import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../controller/config/load-config.js';
import { formatProblem } from '../../../controller/yaml/problem.js';

const FIXTURES = 'test/unit/config/fixtures';

async function problemsOf(name: string): Promise<string[]> {
  const error = await loadConfig(`${FIXTURES}/${name}`).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).problems.map((p) => formatProblem(p).replace(`${FIXTURES}/`, ''));
}

describe('loadConfig: the example and a full config', () => {
  it('loads examples/atomsync.yaml with every path resolved against its folder', async () => {
    const config = await loadConfig('examples/atomsync.yaml');
    const examples = resolve('examples');
    expect(config.platform).toEqual({
      embedded: { scenario: `${examples}/sim/demo.yaml` },
      requestsPerSecond: 10,
      timeoutSeconds: 30,
    });
    expect(config.accounts).toEqual({
      'acme-prod': {
        alias: 'acme-prod',
        accountId: 'acme-prod-D4E5F6',
        username: 'BOOMI_TOKEN.admin@demo.atomsync',
        tokenFile: `${examples}/sim/demo-admin.token`,
      },
      'acme-dev': {
        alias: 'acme-dev',
        accountId: 'acme-dev-G7H8I9',
        username: 'BOOMI_TOKEN.admin@demo.atomsync',
        tokenFile: `${examples}/sim/demo-admin.token`,
      },
      'acme-eu': {
        alias: 'acme-eu',
        accountId: 'acme-eu-J1K2L3',
        username: 'BOOMI_TOKEN.viewer@demo.atomsync',
        tokenFile: `${examples}/sim/demo-viewer.token`,
      },
    });
    expect(config.sources).toEqual([
      { kind: 'directory', path: `${examples}/pins`, namespace: 'integration' },
    ]);
    expect(config.maxConcurrentRestarts).toBe(2);
    expect(config.stateDir).toBe(`${examples}/.atomsync`);
    expect(config.configFile).toBe(`${examples}/atomsync.yaml`);
    expect(config.baseDir).toBe(examples);
  });

  it('applies the defaults to a minimal config', async () => {
    const config = await loadConfig(`${FIXTURES}/minimal.yaml`);
    const base = resolve(FIXTURES);
    expect(config).toEqual({
      apiVersion: 'atomsync.io/v1alpha1',
      kind: 'Config',
      configFile: `${base}/minimal.yaml`,
      baseDir: base,
      platform: {
        embedded: { scenario: `${base}/sim/demo.yaml` },
        requestsPerSecond: 10,
        timeoutSeconds: 30,
      },
      accounts: {
        'acme-prod': {
          alias: 'acme-prod',
          accountId: 'acme-prod-D4E5F6',
          usernameEnv: 'BOOMI_USER',
          tokenEnv: 'BOOMI_TOKEN',
        },
      },
      sources: [],
      concurrency: 4,
      maxConcurrentRestarts: 2,
      defaultWindows: [],
      server: { listen: '127.0.0.1:8080' },
      stateDir: `${base}/.atomsync`,
    });
  });

  it('loads every section of a full config, with git source defaults and absolute paths kept', async () => {
    const config = await loadConfig(`${FIXTURES}/full.yaml`);
    const base = resolve(FIXTURES);
    expect(config.platform).toEqual({
      url: 'https://api.boomi.com',
      requestsPerSecond: 5,
      timeoutSeconds: 10,
    });
    expect(config.accounts['acme-prod']?.partnerAccountId).toBe('acme-publisher-A1B2C3');
    expect(config.accounts['acme-dev']?.tokenFile).toBe(resolve(base, '../secrets/dev.token'));
    expect(config.sources).toEqual([
      { kind: 'directory', path: `${base}/pins` },
      {
        kind: 'git',
        url: 'https://github.com/acme/atomsync-pins.git',
        branch: 'main',
        path: '.',
        intervalSeconds: 60,
        auth: { tokenEnv: 'GIT_TOKEN' },
      },
      { kind: 'kubernetes', namespaces: ['integration'] },
    ]);
    expect(config.defaultWindows).toEqual([
      { kind: 'allow', schedule: '0 22 * * SAT', duration: '4h', timeZone: 'Europe/Berlin' },
    ]);
    expect(config.tenancy).toEqual({ namespaces: { integration: ['acme-prod', 'acme-dev-G7H8I9'] } });
    expect(config.server).toEqual({ listen: '0.0.0.0:9090' });
    expect(config.stateDir).toBe('/var/lib/atomsync');
    expect(config.webhook).toEqual({ secretEnv: 'ATOMSYNC_WEBHOOK_SECRET' });
    expect(config).toMatchObject({ concurrency: 8, maxConcurrentRestarts: 3 });
  });
});

describe('loadConfig: problems, each at file:line:col', () => {
  it('rejects an unknown key and suggests the likely one', async () => {
    expect(await problemsOf('unknown-key.yaml')).toEqual([
      "unknown-key.yaml:5:3 platform.requestPerSecond: unknown field 'requestPerSecond' (allowed: embedded, url, requestsPerSecond, timeoutSeconds, releaseCalendar) — did you mean 'requestsPerSecond'?",
    ]);
  });

  it('file sources name their namespace (and per-folder namespaces) as Kubernetes names and inner folders', async () => {
    const problems = await problemsOf('source-namespaces.yaml');
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /^source-namespaces\.yaml:10:16 sources\[0\]\.namespace: .*namespace name such as integration/,
    );
    expect(problems[1]).toMatch(
      /^source-namespaces\.yaml:13:7 sources\[0\]\.folderNamespaces.*a folder inside the source/,
    );
  });

  it('refuses an inline token and says to use tokenEnv or tokenFile, without echoing the token', async () => {
    const problems = await problemsOf('inline-token.yaml');
    expect(problems).toEqual([
      'inline-token.yaml:9:5 accounts.acme-prod.token: inline tokens are not allowed: use tokenEnv (the name of an environment variable) or tokenFile (a file holding the token)',
    ]);
    expect(problems.join('\n')).not.toContain('do-not-put-me-here');
  });

  it('gives the problem code InlineSecret to an inline token', async () => {
    const error = (await loadConfig(`${FIXTURES}/inline-token.yaml`).catch((e: unknown) => e)) as ConfigError;
    expect(error.problems.map((p) => p.code)).toEqual(['InlineSecret']);
    expect(error.code).toBe('InvalidConfig');
  });

  it('refuses both platform.embedded and platform.url', async () => {
    expect(await problemsOf('both-platforms.yaml')).toEqual([
      'both-platforms.yaml:5:8 platform.url: set either embedded (the built-in simulator) or url (a platform API), not both',
    ]);
  });

  it('asks for a platform when neither embedded nor url is set', async () => {
    expect(await problemsOf('no-platform.yaml')).toEqual([
      'no-platform.yaml:3:1 platform: set embedded: { scenario: … } (the built-in simulator) or url: https://… (a platform API)',
    ]);
  });

  it('reports every problem of a file in one pass, in file order', async () => {
    expect(await problemsOf('many-problems.yaml')).toEqual([
      "many-problems.yaml:2:7 kind: must be 'Config' (got 'Configuration')",
      'many-problems.yaml:4:8 platform.url: must match ^https?://[^\\s]+$ — an http(s) URL such as https://api.boomi.com',
      'many-problems.yaml:5:19 platform.timeoutSeconds: must be greater than 0 (got 0)',
      'many-problems.yaml:9:18 accounts.acme-prod.usernameEnv: must match ^[A-Za-z_][A-Za-z0-9_]*$ — the name of an environment variable, such as BOOMI_TOKEN (not its value)',
      'many-problems.yaml:11:16 accounts.acme-prod.tokenFile: set either tokenEnv or tokenFile, not both',
      'many-problems.yaml:12:3 accounts.acme-dev: set username or usernameEnv (the user name, e.g. BOOMI_TOKEN.admin@example.com)',
      "many-problems.yaml:17:13 sources[1].kind: must be one of directory, git, kubernetes (got 'svn')",
      'many-problems.yaml:20:13 sources[2].auth.password: inline tokens are not allowed: use tokenEnv (the name of an environment variable) or tokenFile (a file holding the token)',
      'many-problems.yaml:21:25 sources[3].namespaces: must list at least one item',
      'many-problems.yaml:22:14 concurrency: must be a whole number, not a decimal number (2.5)',
      "many-problems.yaml:25:30 tenancy.namespaces.integration[1]: unknown account 'acme-qa' (configured: acme-prod, acme-dev)",
      'many-problems.yaml:26:19 server.listen: must match ^(\\[[0-9A-Fa-f:.]+\\]|[^\\s:\\[\\]]+):[0-9]{1,5}$ — host:port such as 127.0.0.1:8080',
      "many-problems.yaml:27:1 webhook: missing required field 'secretEnv'",
      'many-problems.yaml:27:12 webhook.secret: inline secrets are not allowed: use secretEnv (the name of an environment variable)',
      'many-problems.yaml:30:30 defaultWindows[1].schedule: not a valid cron expression: configuration entry 5 (SAX) contains illegal characters.',
    ]);
  });

  it('holds exactly one document', async () => {
    expect(await problemsOf('two-documents.yaml')).toEqual([
      'two-documents.yaml:4:1 a config file holds one YAML document; remove the second one (or the --- marker)',
    ]);
  });

  it('says so when the file is empty or missing', async () => {
    expect(await problemsOf('empty.yaml')).toEqual(['empty.yaml:1:1 the config file is empty']);
    expect(await problemsOf('does-not-exist.yaml')).toEqual([
      expect.stringMatching(
        /^does-not-exist.yaml:1:1 file not found \(looked for \/.*\/does-not-exist.yaml\)$/,
      ),
    ]);
  });

  it('puts every problem in the error message, one per line', async () => {
    const error = (await loadConfig(`${FIXTURES}/both-platforms.yaml`).catch(
      (e: unknown) => e,
    )) as ConfigError;
    expect(error.message).toBe(
      `${FIXTURES}/both-platforms.yaml: 1 problem\n` +
        `  ${FIXTURES}/both-platforms.yaml:5:8 platform.url: set either embedded (the built-in simulator) or url (a platform API), not both`,
    );
  });
});

describe('loadConfig: the notify section', () => {
  it('reports each bad receiver field at its line, without echoing a secret', async () => {
    const problems = await problemsOf('notify-problems.yaml');
    expect(problems).toEqual([
      'notify-problems.yaml:7:18 notify.ratePerMinute: must be greater than 0 (got 0)',
      'notify-problems.yaml:9:40 notify.receivers[0].url: must match ^https?://[^\\s]+$ — an http(s) URL such as https://hooks.example.com/atomsync',
      'notify-problems.yaml:9:59 notify.receivers[0].secret: inline secrets are not allowed: use secretEnv (the name of an environment variable)',
      'notify-problems.yaml:10:7 notify.receivers[1]: set urlEnv (the environment variable holding the Slack incoming-webhook URL) or url',
      "notify-problems.yaml:10:28 notify.receivers[1].name: another receiver is already named 'ops'; give each receiver its own name",
      "notify-problems.yaml:10:50 notify.receivers[1].events[1]: must be one of Manual, Drifted, Blocked, RequestFailed, Applied (got 'Paged')",
      "notify-problems.yaml:11:7 notify.receivers[2]: missing required field 'tokenEnv'",
      'notify-problems.yaml:11:48 notify.receivers[2].repository: must match ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ — owner/name such as acme/platform-ops',
      'notify-problems.yaml:11:54 notify.receivers[2].token: inline tokens are not allowed: use tokenEnv (the name of an environment variable)',
      "notify-problems.yaml:12:15 notify.receivers[3].kind: must be one of webhook, slack, github (got 'email')",
    ]);
    expect(problems.join('\n')).not.toContain('s3cret');
    expect(problems.join('\n')).not.toContain('ghp_inline');
  });

  it('applies the receiver defaults', async () => {
    const config = await loadConfig(`${FIXTURES}/notify-minimal.yaml`);
    expect(config.notify).toEqual({
      ratePerMinute: 60,
      maxAttempts: 8,
      receivers: [
        {
          kind: 'webhook',
          name: 'ops',
          url: 'https://hooks.example.com/atomsync',
          events: ['Manual', 'Drifted', 'Blocked', 'RequestFailed', 'Applied'],
        },
        { kind: 'slack', name: 'team', urlEnv: 'SLACK_URL', events: ['Manual', 'Blocked', 'RequestFailed'] },
        {
          kind: 'github',
          name: 'tasks',
          repository: 'acme/platform-ops',
          tokenEnv: 'GITHUB_TOKEN',
          apiUrl: 'https://api.github.com',
          labels: ['atomsync'],
        },
      ],
    });
  });
});
