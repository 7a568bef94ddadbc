// ReleaseIntegrationPack (publisher side): CREATE with releaseSchedule IMMEDIATELY or
// RELEASE_ON_SPECIFIED_DATE (releaseOnDate yyyy-MM-dd). ReleaseIntegrationPackStatus: GET and bulk by
// requestId; responseStatusCode is 202 while the release is SCHEDULED, 200 once it reached the install base.
import type { ObjectHandler, WireObject } from '../port.js';
import { READ_PRIVILEGES, WRITE_PRIVILEGES } from '../access.js';
import type { WorldCore } from '../core.js';
import { createPackRelease, updatePackRelease } from '../pack-releases.js';
import type { PackReleaseRecord, WorldState } from '../state.js';
import { dateOnly, wire } from './wire.js';

export function releaseIntegrationPackHandler(core: WorldCore): ObjectHandler {
  return {
    type: 'ReleaseIntegrationPack',
    readPrivileges: READ_PRIVILEGES,
    writePrivileges: WRITE_PRIVILEGES,
    create: (ctx, body) => ({
      status: 200,
      body: releaseWire(core, ctx.accountId, createPackRelease(core, ctx, body)),
    }),
    update: (ctx, id, body) => releaseWire(core, ctx.accountId, updatePackRelease(core, ctx, id, body)),
  };
}

function releaseWire(core: WorldCore, accountId: string, release: PackReleaseRecord): WireObject {
  const pack = core.state.packs[release.integrationPackId]!;
  return wire('ReleaseIntegrationPack', {
    id: pack.id,
    name: pack.name,
    installationType: pack.installationType,
    releaseSchedule: release.releaseSchedule,
    releaseOnDate: dateOnly(release.releaseOnDate),
    requestId: release.requestId,
    releaseStatusUrl: `/api/rest/v1/${accountId}/ReleaseIntegrationPackStatus/${release.requestId}`,
    ReleasePackagedComponents: packagedComponentsWire(release),
  });
}

export function releaseIntegrationPackStatusHandler(core: WorldCore): ObjectHandler {
  return {
    type: 'ReleaseIntegrationPackStatus',
    readPrivileges: READ_PRIVILEGES,
    writePrivileges: WRITE_PRIVILEGES,
    bulkSupported: true,
    get: (ctx, requestId) => {
      const release = core.state.packReleases[requestId];
      const pack = release && core.state.packs[release.integrationPackId];
      if (!release || pack?.publisherAccountId !== ctx.accountId) return undefined;
      return releaseStatusWire(core.state, release);
    },
  };
}

function releaseStatusWire(state: WorldState, release: PackReleaseRecord): WireObject {
  const pack = state.packs[release.integrationPackId]!;
  return wire('ReleaseIntegrationPackStatus', {
    integrationPackId: pack.id,
    name: pack.name,
    installationType: pack.installationType,
    releaseSchedule: release.releaseSchedule,
    releaseOnDate: dateOnly(release.releaseOnDate),
    releaseStatus: release.status,
    requestId: release.requestId,
    responseStatusCode: release.status === 'SCHEDULED' ? 202 : 200,
    supersededByRequestId: release.supersededBy,
    ReleasePackagedComponents: packagedComponentsWire(release),
  });
}

function packagedComponentsWire(release: PackReleaseRecord): WireObject {
  return wire('ReleasePackagedComponents', {
    ReleasePackagedComponent: release.components.map((c) => wire('ReleasePackagedComponent', { ...c })),
  });
}
