// Cloud Management reads for the account that owns public Atom Clouds: RuntimeCloud (its clouds) and
// AccountCloudAttachmentSummary (every account's attachment to them, as the Cloud owner sees it). An account
// owning no cloud lists none; the attaching accounts see their attachments as Atoms (Atom, Cloud).
import type { CallContext, ObjectHandler } from '../port.js';
import type { WorldCore } from '../core.js';
import { SCENARIO_USER } from '../audit.js';
import { MAX_ATTACHMENTS_PER_ACCOUNT } from '../runtime-lifecycle.js';
import type { CloudRecord, RuntimeRecord } from '../state.js';
import { cloudInstanceId } from './atom.js';
import { readOnlyHandler } from './read-only.js';
import { wire } from './wire.js';

export function cloudManagementHandlers(core: WorldCore): ObjectHandler[] {
  const ownClouds = (ctx: CallContext) =>
    Object.values(core.state.clouds).filter((c) => c.ownerAccountId === ctx.accountId);
  const attachments = (ctx: CallContext) => {
    const owned = new Set(ownClouds(ctx).map((c) => c.id));
    return Object.values(core.state.runtimes).filter((r) => r.cloudId !== undefined && owned.has(r.cloudId));
  };
  return [
    readOnlyHandler({
      type: 'RuntimeCloud',
      records: ownClouds,
      idOf: (cloud) => cloud.id,
      bulk: true,
      toWire: (cloud: CloudRecord) =>
        wire('RuntimeCloud', {
          id: cloud.id,
          name: cloud.name,
          classification: 'PROD',
          allowBrowsing: true,
          allowDeployments: true,
          allowTestExecutions: true,
          maxAttachmentsPerAccount: MAX_ATTACHMENTS_PER_ACCOUNT,
          createdBy: SCENARIO_USER,
          createdDate: core.state.clock.start,
        }),
      queryProperties: [
        'name',
        'id',
        'classification',
        'allowDeployments',
        'allowBrowsing',
        'allowTestExecutions',
        'maxAttachmentsPerAccount',
        'createdDate',
        'modifiedDate',
        'createdBy',
        'modifiedBy',
      ],
    }),
    readOnlyHandler({
      type: 'AccountCloudAttachmentSummary',
      records: attachments,
      idOf: (runtime) => runtime.id,
      bulk: true,
      toWire: (runtime: RuntimeRecord) =>
        wire('AccountCloudAttachmentSummary', {
          runtimeId: runtime.id,
          cloudId: runtime.cloudId,
          cloudClusterId: runtime.cloudId,
          attachmentAccountId: runtime.accountId,
          attachmentInstanceId: cloudInstanceId(runtime),
          attachmentCreationDate: runtime.dateInstalled,
        }),
      queryProperties: [
        'runtimeId',
        'attachmentAccountId',
        'attachmentInstanceId',
        'attachmentCreationDate',
        'cloudClusterId',
        'cloudId',
        'clusterCloudId',
      ],
      queryFields: { clusterCloudId: 'cloudClusterId' },
    }),
  ];
}
