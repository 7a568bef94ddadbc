// The JSON of the status API (GET /api/v1/atomversions), also what `atomsync status` prints from.
import type { SourceState } from '../reconciler/desired-set.js';
import type { AtomVersionStatus } from '../domain/status.js';

export const STATUS_LIST_KIND = 'AtomVersionStatusList';

export interface AtomVersionStatusView extends AtomVersionStatus {
  namespace: string;
  name: string;
}

export interface StatusListView {
  apiVersion: 'atomsync.io/v1alpha1';
  kind: typeof STATUS_LIST_KIND;
  /** ISO-8601 time the list was made. */
  generatedAt: string;
  sources: SourceView[];
  items: AtomVersionStatusView[];
}

export interface SourceView {
  name: string;
  revision: string;
  synced: boolean;
  problems: number;
  error?: { code: string; message: string };
}

export function statusView(status: AtomVersionStatus): AtomVersionStatusView {
  const slash = status.key.indexOf('/');
  const namespace = slash >= 0 ? status.key.slice(0, slash) : 'default';
  const name = slash >= 0 ? status.key.slice(slash + 1) : status.key;
  return { namespace, name, ...status };
}

export function statusListView(
  statuses: readonly AtomVersionStatus[],
  sources: readonly SourceState[],
  now: Date,
): StatusListView {
  return {
    apiVersion: 'atomsync.io/v1alpha1',
    kind: STATUS_LIST_KIND,
    generatedAt: now.toISOString(),
    sources: sources.map((source) => ({
      name: source.name,
      revision: source.revision,
      synced: source.synced,
      problems: source.problems,
      ...(source.error ? { error: { code: source.error.code, message: source.error.message } } : {}),
    })),
    items: statuses.map(statusView),
  };
}
