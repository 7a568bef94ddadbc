// The JSON schema of atomsync.yaml. Maintenance windows reuse the CRD's own window schema, so a window
// means the same thing in a pin and in defaultWindows. Cross-field rules (exactly one of …) live in
// config-rules.ts, where they can give a plain message.

import { atomVersionSchema, withUnknownFieldsRejected } from '../schema/atomversion-schema.js';

type JsonSchema = { [keyword: string]: unknown };

const INLINE_TOKEN =
  'inline tokens are not allowed: use tokenEnv (the name of an environment variable) or tokenFile (a file holding the token)';

const envName: JsonSchema = {
  type: 'string',
  pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
  'x-atomsync-hint': 'the name of an environment variable, such as BOOMI_TOKEN (not its value)',
};
const text: JsonSchema = { type: 'string', minLength: 1 };
const forbiddenSecrets = { token: INLINE_TOKEN, password: INLINE_TOKEN, apiToken: INLINE_TOKEN };

const credentialFields = {
  username: text,
  usernameEnv: envName,
  tokenEnv: envName,
  tokenFile: text,
};

const account: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['accountId'],
  properties: { accountId: text, ...credentialFields, partnerAccountId: text },
  'x-atomsync-forbidden': forbiddenSecrets,
};

const namespaceName: JsonSchema = {
  type: 'string',
  pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
  'x-atomsync-hint': 'a Kubernetes namespace name such as integration',
};

/** The namespace of a file source's pins: the source decides, never the file (docs/configuration.md). */
const fileSourceNamespaces = {
  namespace: namespaceName,
  folderNamespaces: {
    type: 'object',
    minProperties: 1,
    propertyNames: {
      type: 'string',
      pattern: '^[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*/?$',
      'x-atomsync-hint': 'a folder inside the source, such as team-a or shared/emea',
    },
    additionalProperties: namespaceName,
  },
};

const directorySource: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'path'],
  properties: { kind: { const: 'directory' }, path: text, ...fileSourceNamespaces },
};

const gitSource: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'url'],
  properties: {
    kind: { const: 'git' },
    url: text,
    branch: { ...text, default: 'main' },
    path: { ...text, default: '.' },
    intervalSeconds: { type: 'integer', minimum: 1, default: 60 },
    ...fileSourceNamespaces,
    auth: {
      type: 'object',
      additionalProperties: false,
      properties: credentialFields,
      'x-atomsync-forbidden': forbiddenSecrets,
    },
  },
};

const kubernetesSource: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'namespaces'],
  properties: {
    kind: { const: 'kubernetes' },
    namespaces: { type: 'array', minItems: 1, items: namespaceName },
  },
};

const NOTIFY_EVENTS = ['Manual', 'Drifted', 'Blocked', 'RequestFailed', 'Applied'];
const httpUrl: JsonSchema = {
  type: 'string',
  pattern: '^https?://[^\\s]+$',
  'x-atomsync-hint': 'an http(s) URL such as https://hooks.example.com/atomsync',
};
const receiverName: JsonSchema = {
  type: 'string',
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
  'x-atomsync-hint': 'a name such as ops-slack (letters, digits, ., _ and -)',
};
const notifyEvents = (defaults: string[]): JsonSchema => ({
  type: 'array',
  minItems: 1,
  uniqueItems: true,
  default: defaults,
  items: { enum: NOTIFY_EVENTS, 'x-atomsync-hint': NOTIFY_EVENTS.join(', ') },
});
const INLINE_NOTIFY_SECRET =
  'inline secrets are not allowed: use secretEnv (the name of an environment variable)';

const webhookReceiver: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'name', 'url'],
  properties: {
    kind: { const: 'webhook' },
    name: receiverName,
    url: httpUrl,
    secretEnv: envName,
    events: notifyEvents(NOTIFY_EVENTS),
  },
  'x-atomsync-forbidden': { secret: INLINE_NOTIFY_SECRET },
};

const slackReceiver: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'name'],
  properties: {
    kind: { const: 'slack' },
    name: receiverName,
    url: httpUrl,
    urlEnv: envName,
    events: notifyEvents(['Manual', 'Blocked', 'RequestFailed']),
  },
};

const githubReceiver: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'name', 'repository', 'tokenEnv'],
  properties: {
    kind: { const: 'github' },
    name: receiverName,
    repository: {
      type: 'string',
      pattern: '^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$',
      'x-atomsync-hint': 'owner/name such as acme/platform-ops',
    },
    tokenEnv: envName,
    apiUrl: { ...httpUrl, default: 'https://api.github.com' },
    labels: { type: 'array', minItems: 1, items: text, default: ['atomsync'] },
  },
  'x-atomsync-forbidden': {
    token: 'inline tokens are not allowed: use tokenEnv (the name of an environment variable)',
  },
};

const notify: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['receivers'],
  properties: {
    receivers: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind'],
        discriminator: { propertyName: 'kind' },
        oneOf: [webhookReceiver, slackReceiver, githubReceiver],
      },
    },
    ratePerMinute: { type: 'number', exclusiveMinimum: 0, default: 60 },
    maxAttempts: { type: 'integer', minimum: 1, default: 8 },
  },
};

function crdWindowSchema(): JsonSchema {
  const strict = withUnknownFieldsRejected(atomVersionSchema);
  const spec = (strict.properties as Record<string, JsonSchema>).spec as JsonSchema;
  const policy = (spec.properties as Record<string, JsonSchema>).policy as JsonSchema;
  const windows = (policy.properties as Record<string, JsonSchema>).windows as JsonSchema;
  return windows.items as JsonSchema;
}

const isoInstant: JsonSchema = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$',
  'x-atomsync-hint': 'an ISO 8601 instant such as 2026-12-05T02:00:00Z',
};

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'platform', 'accounts'],
  properties: {
    apiVersion: { const: 'atomsync.io/v1alpha1' },
    kind: { const: 'Config' },
    platform: {
      type: 'object',
      additionalProperties: false,
      properties: {
        embedded: {
          type: 'object',
          additionalProperties: false,
          required: ['scenario'],
          properties: { scenario: text },
        },
        url: {
          type: 'string',
          pattern: '^https?://[^\\s]+$',
          'x-atomsync-hint': 'an http(s) URL such as https://api.boomi.com',
        },
        requestsPerSecond: { type: 'number', exclusiveMinimum: 0, default: 10 },
        timeoutSeconds: { type: 'number', exclusiveMinimum: 0, default: 30 },
        releaseCalendar: {
          type: 'object',
          additionalProperties: false,
          required: ['runtimeReleaseWindowOpens', 'platformRelease'],
          properties: {
            runtimeReleaseWindowOpens: isoInstant,
            platformRelease: isoInstant,
          },
          'x-atomsync-hint': 'the dates Boomi announces: runtimeReleaseWindowOpens and platformRelease',
        },
      },
    },
    accounts: {
      type: 'object',
      minProperties: 1,
      propertyNames: {
        pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
        'x-atomsync-hint': 'an alias such as acme-prod (letters, digits, ., _ and -)',
      },
      additionalProperties: account,
      'x-atomsync-hint': 'at least one account, keyed by the alias pins use',
    },
    sources: {
      type: 'array',
      default: [],
      items: {
        type: 'object',
        required: ['kind'],
        discriminator: { propertyName: 'kind' },
        oneOf: [directorySource, gitSource, kubernetesSource],
      },
    },
    concurrency: { type: 'integer', minimum: 1, default: 4 },
    maxConcurrentRestarts: { type: 'integer', minimum: 1, default: 2 },
    defaultWindows: { type: 'array', default: [], items: crdWindowSchema() },
    tenancy: {
      type: 'object',
      additionalProperties: false,
      required: ['namespaces'],
      properties: {
        namespaces: {
          type: 'object',
          propertyNames: namespaceName,
          additionalProperties: { type: 'array', items: text },
        },
      },
    },
    server: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        listen: {
          type: 'string',
          pattern: '^(\\[[0-9A-Fa-f:.]+\\]|[^\\s:\\[\\]]+):[0-9]{1,5}$',
          default: '127.0.0.1:8080',
          'x-atomsync-hint': 'host:port such as 127.0.0.1:8080',
        },
        tokenEnv: envName,
        tokenFile: text,
      },
      'x-atomsync-forbidden': forbiddenSecrets,
    },
    stateDir: { ...text, default: '.atomsync' },
    webhook: {
      type: 'object',
      additionalProperties: false,
      required: ['secretEnv'],
      properties: { secretEnv: envName },
      'x-atomsync-forbidden': {
        secret: 'inline secrets are not allowed: use secretEnv (the name of an environment variable)',
      },
    },
    notify,
  },
};
