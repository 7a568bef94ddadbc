// PublisherIntegrationPack: GET, QUERY, bulk, CREATE, UPDATE, DELETE — the packs an account publishes,
// as their publisher sees them (IntegrationPack is the subscriber's view).
import type { ObjectHandler } from '../port.js';
import { READ_PRIVILEGES, WRITE_PRIVILEGES } from '../access.js';
import type { WorldCore } from '../core.js';
import { createPublisherPack, deletePublisherPack, updatePublisherPack } from '../publisher-packs.js';
import type { PackRecord } from '../state.js';
import { PACK_QUERY } from './integration-pack.js';
import { wire } from './wire.js';

export function publisherIntegrationPackHandler(core: WorldCore): ObjectHandler {
  const toWire = (p: PackRecord) =>
    wire('PublisherIntegrationPack', {
      id: p.id,
      name: p.name,
      installationType: p.installationType,
      Description: p.description,
      PublisherPackagedComponents: wire('PublisherPackagedComponents', {
        PublisherPackagedComponent: (p.packagedComponents ?? []).map((c) =>
          wire('PublisherPackagedComponent', {
            componentId: c.componentId,
            currentVersion: c.releasedVersion,
            latestVersion: c.version,
            pendingVersion: c.pendingVersion,
          }),
        ),
      }),
    });
  return {
    type: 'PublisherIntegrationPack',
    readPrivileges: READ_PRIVILEGES,
    writePrivileges: WRITE_PRIVILEGES,
    bulkSupported: true,
    query: PACK_QUERY,
    get: (ctx, id) => {
      const pack = core.state.packs[id];
      return pack?.publisherAccountId === ctx.accountId ? toWire(pack) : undefined;
    },
    list: (ctx) =>
      Object.values(core.state.packs)
        .filter((p) => p.publisherAccountId === ctx.accountId)
        .map(toWire),
    create: (ctx, body) => ({ status: 200, body: toWire(createPublisherPack(core, ctx, body)) }),
    update: (ctx, id, body) => toWire(updatePublisherPack(core, ctx, id, body)),
    delete: (ctx, id) => deletePublisherPack(core, ctx, id),
  };
}
