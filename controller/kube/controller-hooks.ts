// The glue between the Kubernetes parts and the controller loop (controller/reconciler/reconcile-loop.ts):
// - kubeSourceFactory: `createSources(config, { createOther })` builds the `kind: kubernetes` source;
// - kubeStatusListener: `new ReconcileLoop({ onStatus })` mirrors each stored status onto the CR's status
//   subresource and records the pass's Events (each action once, blocked pins as a series).

import type { SourceConfig } from '../config/types.js';
import type { AtomVersionStatus, ReconcileRecord } from '../domain/status.js';
import type { Source } from '../sources/source.js';
import { passEvents, type EventTarget, type KubeEventRecorder } from './events.js';
import type { KubeSource } from './kube-source.js';
import { splitKey } from './kube-object.js';
import type { KubeStatusWriter } from './status-writer.js';

/** For createSources' `createOther`: the integration's KubeSource for a `kind: kubernetes` source. */
export function kubeSourceFactory(kube: {
  source?: KubeSource;
}): (config: SourceConfig) => Source | undefined {
  return (config) => (config.kind === 'kubernetes' ? kube.source : undefined);
}

export interface StatusListenerOptions {
  /** Write only while this holds (pass `() => elector.isLeader()`). Default: always. */
  shouldWrite?: () => boolean;
  /** A status or event that could not be written (the next pass tries again). */
  onError?: (message: string) => void;
}

export type StatusListener = (key: string, status: AtomVersionStatus | undefined) => Promise<void>;

/**
 * For the ReconcileLoop's `onStatus`. Keys that are not AtomVersion custom resources (a pin file's
 * namespace/name) are skipped; a removed key is forgotten. Never throws. A status changed by someone
 * else (seen by the watch) is put back at once from the last status of that key, without a pass.
 */
export function kubeStatusListener(
  kube: { source?: KubeSource; statusWriter: KubeStatusWriter; events: KubeEventRecorder },
  options: StatusListenerOptions = {},
): StatusListener {
  const reportedRecord = new Map<string, string>();
  const lastStatus = new Map<string, AtomVersionStatus>();
  const report = (message: string): void => options.onError?.(message);
  const write = async (status: AtomVersionStatus): Promise<void> => {
    try {
      await kube.statusWriter.write(status);
    } catch (error) {
      report(error instanceof Error ? error.message : String(error));
    }
  };
  kube.source?.onObjectChange((change) => {
    const status = lastStatus.get(change.key);
    if (change.type !== 'status' || !status || !(options.shouldWrite?.() ?? true)) return;
    void write(status); // the writer compares with the stored status: our own write costs nothing
  });
  return async (key, status) => {
    if (!status) {
      kube.statusWriter.forget(key);
      reportedRecord.delete(key);
      lastStatus.delete(key);
      return;
    }
    const object = kube.source?.getObject(key);
    if (!object || !(options.shouldWrite?.() ?? true)) return;
    lastStatus.set(key, status);
    await write(status);
    const { namespace, name } = splitKey(key);
    const target: EventTarget = {
      namespace,
      name,
      ...(object.metadata?.uid ? { uid: object.metadata.uid } : {}),
    };
    const record = status.history.at(-1);
    const fresh = record && reportedRecord.get(key) !== recordId(record) ? record : undefined;
    if (record) reportedRecord.set(key, recordId(record));
    for (const event of passEvents(target, fresh?.actions ?? [], status.pins))
      await kube.events.record(event);
  };
}

function recordId(record: ReconcileRecord): string {
  return `${record.at}\u0000${record.revision}\u0000${record.trigger}`;
}
