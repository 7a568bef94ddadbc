// An IntegrationPackRelease's status subresource, written from the status the release reconciler keeps
// (controller/reconciler/release-status.ts) with a JSON merge-patch by field manager `atomsync` — only
// when it differs from what the object shows, as the AtomVersion writer does (status-writer.ts). The
// generations atomsync sent are written too, so a replica that takes over knows them (recordedOf).
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import type { RecordedRelease } from '../reconciler/release-reconciler.js';
import type { PackReleaseStatus } from '../reconciler/release-status.js';
import { describeKubeFailure, KubeError } from './kube-errors.js';
import { isPlainObject, splitKey, type KubeObject } from './kube-object.js';
import { patchCustomObjectStatus } from './custom-objects.js';
import { PACK_RELEASES } from './packrelease-api.js';

const MANAGED = [
  'observedGeneration',
  'conditions',
  'accountId',
  'lastRequestId',
  'releaseStatus',
  'sentGeneration',
  'sendingGeneration',
] as const;

/** The status as the object carries it; generations are metadata.generation numbers there. */
function renderReleaseStatus(status: PackReleaseStatus): Record<string, unknown> {
  const number = (generation: string | undefined) =>
    generation !== undefined && /^\d+$/.test(generation) ? Number(generation) : undefined;
  const rendered: Record<string, unknown> = {
    observedGeneration: number(status.observedGeneration),
    conditions: status.conditions,
    accountId: status.accountId,
    lastRequestId: status.lastRequestId,
    releaseStatus: status.releaseStatus,
    sentGeneration: number(status.sentGeneration),
    sendingGeneration: number(status.sendingGeneration),
  };
  return Object.fromEntries(MANAGED.map((field) => [field, rendered[field] ?? null]));
}

/** What an object's status records of atomsync's sends (another replica may have written it). */
export function recordedOf(object: KubeObject): RecordedRelease | undefined {
  const status = object['status'];
  if (!isPlainObject(status)) return undefined;
  const text = (value: unknown) =>
    typeof value === 'number' || typeof value === 'string' ? String(value) : undefined;
  const recorded: RecordedRelease = {
    ...(text(status['sentGeneration']) !== undefined && { sentGeneration: text(status['sentGeneration'])! }),
    ...(text(status['sendingGeneration']) !== undefined && {
      sendingGeneration: text(status['sendingGeneration'])!,
    }),
    ...(typeof status['lastRequestId'] === 'string' && { lastRequestId: status['lastRequestId'] }),
    ...(typeof status['releaseStatus'] === 'string' && { releaseStatus: status['releaseStatus'] }),
  };
  return Object.keys(recorded).length > 0 ? recorded : undefined;
}

export class KubeReleaseStatusWriter {
  private readonly api: CustomObjectsApi;

  constructor(
    kubeConfig: KubeConfig,
    private readonly observe: (key: string) => KubeObject | undefined,
  ) {
    this.api = kubeConfig.makeApiClient(CustomObjectsApi);
  }

  /** Writes unless the object (or our last write of the same text) already shows it; false: the object is gone. */
  async write(status: PackReleaseStatus): Promise<boolean> {
    const observed = this.observe(status.key);
    if (!observed) return false;
    const patch = renderReleaseStatus(status);
    const text = managedText(patch);
    if (managedText(observed['status']) === text) return true;
    try {
      await patchCustomObjectStatus(this.api, PACK_RELEASES, splitKey(status.key), patch);
      return true;
    } catch (error) {
      const failure = describeKubeFailure(error);
      if (failure.statusCode === 404) return false;
      throw new KubeError(
        'StatusWriteFailed',
        `cannot write the status of IntegrationPackRelease ${status.key}: ${failure.message}`,
        failure.statusCode,
      );
    }
  }
}

function managedText(status: unknown): string {
  const source = isPlainObject(status) ? status : {};
  return JSON.stringify(MANAGED.map((field) => [field, source[field] ?? null]));
}
