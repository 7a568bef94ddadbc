// Writes AtomVersionStatus to the CR's status subresource with a JSON merge-patch — only when the
// rendered status differs from what is stored. "Stored" is the CR as the watch last saw it, or, while the
// watch has not caught up with our own last write yet, what that write stored. So the same status twice
// is one write, a status edited by someone else is put back, and nothing storms.

import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import type { AtomVersionStatus } from '../domain/status.js';
import { patchAtomVersionStatus } from './atomversion-api.js';
import { describeKubeFailure, KubeError } from './kube-errors.js';
import { splitKey, type KubeObject } from './kube-object.js';
import { managedStatusText, renderKubeStatus, statusMergePatch } from './status-render.js';

export type StatusWriteResult = 'written' | 'unchanged' | 'gone';

export interface StatusWriterOptions {
  kubeConfig: KubeConfig;
  /** The CR as last observed, by key (KubeSource.getObject): its status is what a write is compared with. */
  observe?: (key: string) => KubeObject | undefined;
  /** Also write the bounded reconcile history (it changes every pass, so every pass writes). Default false. */
  includeHistory?: boolean;
  /** Replaces the client-node API (tests). */
  api?: CustomObjectsApi;
}

export interface StatusWriterStats {
  writes: number;
  unchanged: number;
  gone: number;
  failures: number;
}

interface Written {
  text: string;
  uid?: string;
  resourceVersion?: string;
}

export class KubeStatusWriter {
  private readonly api: CustomObjectsApi;
  private readonly written = new Map<string, Written>();
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly counters: StatusWriterStats = { writes: 0, unchanged: 0, gone: 0, failures: 0 };

  constructor(private readonly options: StatusWriterOptions) {
    this.api = options.api ?? options.kubeConfig.makeApiClient(CustomObjectsApi);
  }

  /**
   * Writes `status` to the AtomVersion `status.key` unless it is already there. Writes for one key are
   * serialized. Resolves 'gone' when the CR no longer exists; throws KubeError('StatusWriteFailed').
   */
  write(status: AtomVersionStatus): Promise<StatusWriteResult> {
    const previous = this.inFlight.get(status.key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.writeNow(status));
    this.inFlight.set(status.key, next);
    const cleanup = (): void => {
      if (this.inFlight.get(status.key) === next) this.inFlight.delete(status.key);
    };
    next.then(cleanup, cleanup);
    return next;
  }

  /** Drops what is remembered about a key (its CR was deleted). */
  forget(key: string): void {
    this.written.delete(key);
  }

  /** Drops everything remembered (e.g. on becoming leader: another replica may have written since). */
  reset(): void {
    this.written.clear();
  }

  stats(): StatusWriterStats {
    return { ...this.counters };
  }

  private async writeNow(status: AtomVersionStatus): Promise<StatusWriteResult> {
    const observed = this.options.observe?.(status.key);
    const generation = observed?.metadata?.generation;
    const rendered = renderKubeStatus(status, {
      ...(typeof generation === 'number' ? { generation } : {}),
      ...(this.options.includeHistory ? { includeHistory: true } : {}),
    });
    const text = managedStatusText(rendered);
    if (this.alreadyStored(status.key, text, observed)) {
      this.counters.unchanged += 1;
      return 'unchanged';
    }
    const { namespace, name } = splitKey(status.key);
    try {
      const stored = await patchAtomVersionStatus(this.api, namespace, name, statusMergePatch(rendered));
      this.written.set(status.key, {
        text,
        ...(stored.metadata?.uid ? { uid: stored.metadata.uid } : {}),
        ...(stored.metadata?.resourceVersion ? { resourceVersion: stored.metadata.resourceVersion } : {}),
      });
      this.counters.writes += 1;
      return 'written';
    } catch (error) {
      const failure = describeKubeFailure(error);
      if (failure.statusCode === 404) {
        this.forget(status.key);
        this.counters.gone += 1;
        return 'gone';
      }
      this.counters.failures += 1;
      throw new KubeError(
        'StatusWriteFailed',
        `cannot write the status of AtomVersion ${status.key}: ${failure.message}`,
        failure.statusCode,
      );
    }
  }

  private alreadyStored(key: string, text: string, observed: KubeObject | undefined): boolean {
    const last = this.written.get(key);
    if (!observed) return last?.text === text;
    if (managedStatusText(observed.status) === text) return true;
    // The watch may not have delivered our own last write yet: trust it while the observed object is
    // the same one and not newer than what that write stored.
    if (last?.text !== text) return false;
    if (last.uid !== undefined && observed.metadata?.uid !== last.uid) return false;
    return !isNewer(observed.metadata?.resourceVersion, last.resourceVersion);
  }
}

/** resourceVersions are opaque, but etcd's are integers; anything else that differs counts as newer. */
function isNewer(candidate: string | undefined, reference: string | undefined): boolean {
  if (candidate === undefined || reference === undefined) return candidate !== reference;
  if (/^[0-9]+$/.test(candidate) && /^[0-9]+$/.test(reference)) return BigInt(candidate) > BigInt(reference);
  return candidate !== reference;
}
