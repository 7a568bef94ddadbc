// Every API object the simulator serves. A scenario with `platform: { extensions: false }` plays Boomi's own
// platform: atomsync's extension objects are left out, so asking for them answers 404 (unknown object).
import type { ObjectHandler } from '../port.js';
import type { WorldCore } from '../core.js';
import { accountGroupHandler, accountGroupIntegrationPackHandler, accountHandler } from './account.js';
import { cloudHandler } from './cloud.js';
import { integrationPackAtomAttachmentHandler } from './integration-pack-atom-attachment.js';
import { publisherIntegrationPackHandler } from './publisher-integration-pack.js';
import { atomConnectorVersionsHandler } from './atom-connector-versions.js';
import { atomVersionUpdateRequestHandler } from './atom-version-update-request.js';
import { atomVersionsHandler } from './atom-versions.js';
import { atomHandler } from './atom.js';
import { auditLogHandler } from './audit-log.js';
import { environmentAtomAttachmentHandler } from './environment-atom-attachment.js';
import { environmentHandler, environmentRoleHandler } from './environment.js';
import { integrationPackEnvironmentAttachmentHandler } from './integration-pack-environment-attachment.js';
import { integrationPackInstanceHandler } from './integration-pack-instance.js';
import { integrationPackPendingUpdateRequestHandler } from './integration-pack-pending-update-request.js';
import { integrationPackVersionsHandler } from './integration-pack-versions.js';
import { integrationPackHandler, integrationPackProcessHandler } from './integration-pack.js';
import {
  releaseIntegrationPackHandler,
  releaseIntegrationPackStatusHandler,
} from './release-integration-pack.js';
import { accountUserRoleHandler, roleHandler } from './role.js';
import { runtimeReleaseScheduleHandler } from './runtime-release-schedule.js';
import { runtimeRestartRequestHandler } from './runtime-restart-request.js';
import { accountReadHandlers } from './account-reads.js';
import { cloudManagementHandlers } from './cloud-management.js';
import { environmentExtensionHandlers } from './environment-extensions.js';
import { runtimeInternalsHandlers } from './runtime-internals.js';

/** atomsync's extension objects (docs/simulator.md, "Extension objects"): Boomi's public API has no such calls. */
const EXTENSION_OBJECTS: readonly string[] = [
  'AtomVersions',
  'AtomVersionUpdateRequest',
  'IntegrationPackVersions',
  'IntegrationPackPendingUpdateRequest',
];

export function createHandlers(core: WorldCore): ObjectHandler[] {
  const handlers = allHandlers(core);
  if (core.state.settings.extensions !== false) return handlers;
  return handlers.filter((h) => !EXTENSION_OBJECTS.includes(h.type));
}

function allHandlers(core: WorldCore): ObjectHandler[] {
  return [
    atomHandler(core),
    atomConnectorVersionsHandler(core),
    environmentHandler(core),
    environmentAtomAttachmentHandler(core),
    environmentRoleHandler(core),
    cloudHandler(core),
    integrationPackHandler(core),
    integrationPackProcessHandler(),
    integrationPackInstanceHandler(core),
    integrationPackEnvironmentAttachmentHandler(core),
    integrationPackAtomAttachmentHandler(core),
    publisherIntegrationPackHandler(core),
    accountGroupIntegrationPackHandler(core),
    releaseIntegrationPackHandler(core),
    releaseIntegrationPackStatusHandler(core),
    runtimeReleaseScheduleHandler(core),
    runtimeRestartRequestHandler(core),
    roleHandler(core),
    accountHandler(core),
    accountGroupHandler(core),
    accountUserRoleHandler(core),
    auditLogHandler(core),
    atomVersionsHandler(core),
    atomVersionUpdateRequestHandler(core),
    integrationPackVersionsHandler(core),
    integrationPackPendingUpdateRequestHandler(core),
    ...runtimeInternalsHandlers(core),
    ...environmentExtensionHandlers(core),
    ...cloudManagementHandlers(core),
    ...accountReadHandlers(core),
  ];
}
