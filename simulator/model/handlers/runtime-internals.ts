// What a runtime reports about itself (Runtime Management reads), derived from the simulated runtime: its
// startup properties carry its name, id, type and version; its disk space grows with its nodes and the
// days of history it keeps; its runtime properties are its purge and restart settings. The simulated
// runtimes run no processes, so they have no counters, no message queues and no custom security policy
// entries and no expired deployed certificates: those answers are well-formed and empty, as on a runtime
// with nothing deployed.
import type { CallContext, ObjectHandler } from '../port.js';
import type { WorldCore } from '../core.js';
import { RUNTIME_COMPONENT } from '../runtime-versions.js';
import type { RuntimeRecord } from '../state.js';
import { noneListed, readOnlyHandler, type ReadOnlyObject } from './read-only.js';
import { wire } from './wire.js';

const MIB = 1024 * 1024;
/** The HTTP port of a runtime's shared web server (Boomi's default). */
const SHARED_SERVER_PORT = 9090;
const SHARED_SERVER_THREADS = 250;

type RuntimeObject = Pick<ReadOnlyObject<RuntimeRecord>, 'type' | 'toWire' | 'async' | 'bulk'> & {
  /** Only some runtimes have the object (CloudAttachmentProperties: attachments to a cloud). */
  only?: (runtime: RuntimeRecord) => boolean;
};

function runtimeObject(core: WorldCore, spec: RuntimeObject): ObjectHandler {
  return readOnlyHandler({
    ...spec,
    records: (ctx: CallContext) =>
      Object.values(core.state.runtimes).filter(
        (r) => r.accountId === ctx.accountId && (spec.only?.(r) ?? true),
      ),
    idOf: (runtime) => runtime.id,
  });
}

export function runtimeInternalsHandlers(core: WorldCore): ObjectHandler[] {
  return [
    runtimeObject(core, {
      type: 'AtomStartupProperties',
      bulk: true,
      toWire: (r) =>
        wire('AtomStartupProperties', {
          id: r.id,
          Property: startupProperties(r).map(([name, value]) => wire('Property', { name, value })),
        }),
    }),
    runtimeObject(core, {
      type: 'AtomCounters',
      async: true,
      toWire: (r) => wire('AtomCounters', { atomId: r.id, counter: [] }),
    }),
    runtimeObject(core, { type: 'AtomDiskSpace', async: true, toWire: diskSpace }),
    runtimeObject(core, {
      type: 'AtomSecurityPolicies',
      async: true,
      toWire: (r) =>
        wire('AtomSecurityPolicies', {
          atomId: r.id,
          common: wire('AtomSecurityPoliciesType', { policies: [] }),
        }),
    }),
    runtimeObject(core, {
      type: 'ListQueues',
      async: true,
      toWire: () => wire('ListQueues', { QueueRecord: [] }),
    }),
    runtimeObject(core, { type: 'RuntimeProperties', async: true, toWire: runtimeProperties }),
    runtimeObject(core, {
      type: 'RuntimeObservabilitySettings',
      async: true,
      toWire: (r) => wire('RuntimeObservabilitySettings', { runtimeId: r.id }),
    }),
    runtimeObject(core, {
      type: 'CloudAttachmentProperties',
      async: true,
      only: (r) => r.cloudId !== undefined,
      toWire: (r) =>
        wire('CloudAttachmentProperties', {
          runtimeId: r.id,
          containerName: r.name,
          containerPurgeDays: r.purgeHistoryDays,
          containerPurgeImmediately: r.purgeImmediate,
          archiveProcessedDocuments: false,
          partialUpdate: false,
        }),
    }),
    // Expired certificates are those of deployed components: the simulated world deploys none. The schema
    // allows one operator (the document's own examples use EQUALS, which Boomi's schema refuses).
    noneListed(
      'DeployedExpiredCertificate',
      ['containerId', 'containerName', 'environmentId', 'environmentName', 'expirationBoundary'],
      { queryOperators: ['LESS_THAN_OR_EQUAL'] },
    ),
    runtimeObject(core, {
      type: 'SharedServerInformation',
      bulk: true,
      toWire: (r) =>
        wire('SharedServerInformation', {
          atomId: r.id,
          apiType: 'intermediate',
          auth: 'basic',
          minAuth: 'basic',
          httpPort: SHARED_SERVER_PORT,
          internalHost: r.hostName,
          externalHost: r.hostName,
          url: sharedServerUrl(r),
          maxThreads: SHARED_SERVER_THREADS,
          overrideUrl: false,
          checkForwardedHeaders: false,
        }),
    }),
    runtimeObject(core, { type: 'SharedWebServer', bulk: true, toWire: sharedWebServer }),
  ];
}

function sharedServerUrl(runtime: RuntimeRecord): string {
  return `http://${runtime.hostName}:${SHARED_SERVER_PORT}`;
}

/**
 * The full settings behind SharedServerInformation: one plain-HTTP listener on the default port with basic
 * authentication, no TLS certificate, no CORS origins and no users (nothing deployed listens on it).
 */
function sharedWebServer(runtime: RuntimeRecord) {
  const baseUrl = sharedServerUrl(runtime);
  const listenerPorts = wire('ListenerPortConfiguration', {
    port: [
      wire('SharedWebServerPort', {
        enablePort: true,
        port: SHARED_SERVER_PORT,
        ssl: false,
        authType: 'BASIC',
        externalPort: 0,
        externalSSL: false,
        defaultPort: true,
        baseUrlForRequest: baseUrl,
      }),
    ],
  });
  return wire('SharedWebServer', {
    atomId: runtime.id,
    cloudTennantGeneral: wire('SharedWebServerCloudTennantGeneral', {
      apiType: 'INTERMEDIATE',
      authType: 'BASIC',
      baseUrl,
      listenerPorts,
    }),
    generalSettings: wire('SharedWebServerGeneral', {
      apiType: 'INTERMEDIATE',
      authentication: wire('SharedWebServerAuthentication', {
        authType: 'BASIC',
        clientCertificateHeaderName: '',
        loginModuleClassName: '',
        cacheAuthorizationCredentials: false,
        loginModuleOptions: wire('SharedWebServerLoginModuleConfiguration', { loginModule: [] }),
        cacheAuthenticationTimeout: 0,
      }),
      overrideUrl: false,
      baseUrl,
      examineForwardHeaders: false,
      externalHost: runtime.hostName,
      internalHost: runtime.hostName,
      listenerPorts,
      maxNumberOfThreads: SHARED_SERVER_THREADS,
      protectedHeaders: wire('SharedWebServerProtectedHeaders', { header: [] }),
      sslCertificate: '',
    }),
    userManagement: wire('SharedWebServerUserManagement', { enableAPIMInternalRoles: false, users: [] }),
    corsConfiguration: wire('SharedWebServerCors', { origins: [] }),
  });
}

function startupProperties(runtime: RuntimeRecord): [string, string][] {
  return [
    ['com.boomi.container.id', runtime.id],
    ['com.boomi.container.name', runtime.name],
    ['com.boomi.container.type', runtime.type],
    ['com.boomi.container.version', runtime.components[RUNTIME_COMPONENT]?.version ?? ''],
    ['com.boomi.container.hostName', runtime.hostName],
    ['com.boomi.container.nodes', String(runtime.nodes)],
    ['com.boomi.container.forceRestart', String(runtime.forceRestartTime)],
  ];
}

/** Logs and history grow with the days kept and the nodes writing them; the rest is fixed per node. */
function diskSpace(runtime: RuntimeRecord) {
  const directories: [string, number][] = [
    ['logs', runtime.nodes * Math.max(1, runtime.purgeHistoryDays) * 2 * MIB],
    ['execution', runtime.nodes * Math.max(1, runtime.purgeHistoryDays) * 5 * MIB],
    ['connector', runtime.nodes * 40 * MIB],
  ];
  const total = directories.reduce((sum, [, size]) => sum + size, 0);
  return wire('AtomDiskSpace', {
    rawTotalSize: total,
    totalSize: megabytes(total),
    DiskSpaceDirectory: directories.map(([file, rawSize]) =>
      wire('AtomDiskSpaceDirectory', { file, rawSize, size: megabytes(rawSize) }),
    ),
  });
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / MIB)} MB`;
}

function runtimeProperties(runtime: RuntimeRecord) {
  return wire('RuntimeProperties', {
    runtimeId: runtime.id,
    partialUpdate: false,
    standardProperties: wire('StandardProperties', {
      containerName: runtime.name,
      containerHostName: runtime.hostName,
      containerPurgeDays: runtime.purgeHistoryDays,
      containerPurgeImmediately: runtime.purgeImmediate,
      containerForceRestart: runtime.forceRestartTime,
    }),
    systemProperties: wire('SystemProperties', {
      heapSize: `${512 * runtime.nodes}m`,
      fileEncoding: 'UTF-8',
    }),
    customRuntimeProperties: wire('CustomRuntimeProperties', { property: [] }),
    customSystemProperties: wire('CustomSystemProperties', { property: [] }),
  });
}
