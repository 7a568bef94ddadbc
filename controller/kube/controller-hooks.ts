// The glue between the Kubernetes parts and the controller loop (controller/reconciler/reconcile-loop.ts):
// - kubeSourceFactory: `createSources(config, { createOther })` builds the `kind: kubernetes` source;
// - kubeStatusListener: `new ReconcileLoop({ onStatus })` mirrors each stored status onto the CR's status
//   subresource and records the pass's Events (each action once, blocked pins as a series). AtomVersions
//   the source refuses (refusals.ts) never reach the loop: their Stalled status and Warning are written
//   here, when the refusal appears or changes, on each resync, when this replica starts leading, and
//   whenever someone else overwrites that status.

import type { SourceConfig } from '../config/types.js';
import type { AtomVersionStatus, ReconcileRecord } from '../domain/status.js';
import type { RefusedAtomVersion, Source } from '../sources/source.js';
import { passEvents, type EventTarget, type KubeEventRecorder } from './events.js';
import type { KubeSource } from './kube-source.js';
import { splitKey, type KubeObject } from './kube-object.js';
import { refusalEvent, refusalText, refusedStatus, stalledEvent } from './refusals.js';
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
  /** The clock of refusal conditions' lastTransitionTime. Default: the system clock. */
  now?: () => Date;
}

export interface StatusListenerParts {
  source?: KubeSource;
  statusWriter: KubeStatusWriter;
  events: KubeEventRecorder;
  /** Registers a callback for when this replica starts leading (KubeIntegration.onLeading). */
  onLeading?: (callback: () => void) => void;
}

export type StatusListener = (key: string, status: AtomVersionStatus | undefined) => Promise<void>;

/**
 * For the ReconcileLoop's `onStatus`. Keys that are not AtomVersion custom resources (a pin file's
 * namespace/name) are skipped; a removed key is forgotten. Never throws. A status changed by someone
 * else (seen by the watch) is put back at once from the last status of that key, without a pass.
 */
export function kubeStatusListener(
  kube: StatusListenerParts,
  options: StatusListenerOptions = {},
): StatusListener {
  const reportedRecord = new Map<string, string>();
  const lastStatus = new Map<string, AtomVersionStatus>();
  const refusals = refusalReporter(kube, options);
  const report = (message: string): void => options.onError?.(message);
  const mayWrite = (): boolean => options.shouldWrite?.() ?? true;
  const write = async (status: AtomVersionStatus): Promise<void> => {
    try {
      await kube.statusWriter.write(status);
    } catch (error) {
      report(error instanceof Error ? error.message : String(error));
    }
  };
  kube.source?.onObjectChange((change) => {
    if (refusals.handleChange(change.key, change.type)) return;
    const status = lastStatus.get(change.key);
    if (change.type !== 'status' || !status || !mayWrite()) return;
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
    // A pass that ended after its AtomVersion was refused: the refusal is its status now.
    if (!object || !mayWrite() || kube.source?.refusal(key)) return;
    lastStatus.set(key, status);
    await write(status);
    const target = eventTarget(key, object);
    const record = status.history.at(-1);
    const fresh = record && reportedRecord.get(key) !== recordId(record) ? record : undefined;
    if (record) reportedRecord.set(key, recordId(record));
    const events = passEvents(target, fresh?.actions ?? [], status.pins);
    const stalled = stalledEvent(target, status);
    if (stalled && !events.some((event) => event.reason === stalled.reason)) events.push(stalled);
    for (const event of events) await kube.events.record(event);
  };
}

/**
 * Writes the status and records the Warning of each refused AtomVersion. The Event is recorded when a
 * refusal is new or changed, on each resync and on becoming leader (a repeat bumps its series); the status
 * is put back whenever the watch shows it overwritten.
 */
function refusalReporter(
  kube: StatusListenerParts,
  options: StatusListenerOptions,
): { handleChange(key: string, type: string): boolean } {
  const announced = new Map<string, string>();
  const now = options.now ?? (() => new Date());
  const report = async (refusal: RefusedAtomVersion, withEvent: boolean): Promise<void> => {
    const object = kube.source?.getObject(refusal.key);
    if (!object || !(options.shouldWrite?.() ?? true)) return;
    try {
      await kube.statusWriter.write(refusedStatus(refusal, object, now()));
    } catch (error) {
      options.onError?.(error instanceof Error ? error.message : String(error));
    }
    if (withEvent) await kube.events.record(refusalEvent(eventTarget(refusal.key, object), refusal));
    announced.set(refusal.key, refusalText(refusal));
  };
  kube.source?.onRefusals((refused) => {
    const keys = new Set(refused.map((refusal) => refusal.key));
    for (const key of announced.keys()) if (!keys.has(key)) announced.delete(key);
    for (const refusal of refused) {
      const changed = announced.get(refusal.key) !== refusalText(refusal);
      void report(refusal, changed);
    }
  });
  kube.onLeading?.(() => {
    for (const refusal of kube.source?.refusals() ?? []) void report(refusal, true);
  });
  return {
    handleChange(key, type) {
      const refusal = kube.source?.refusal(key);
      if (!refusal) return false;
      if (type === 'resync' || type === 'status') void report(refusal, type === 'resync');
      return true;
    },
  };
}

function eventTarget(key: string, object: KubeObject): EventTarget {
  const { namespace, name } = splitKey(key);
  return { namespace, name, ...(object.metadata?.uid ? { uid: object.metadata.uid } : {}) };
}

function recordId(record: ReconcileRecord): string {
  return `${record.at}\u0000${record.revision}\u0000${record.trigger}`;
}
