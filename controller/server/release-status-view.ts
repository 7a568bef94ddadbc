// The JSON of GET /api/v1/integrationpackreleases[/{namespace}/{name}]: the status `atomsync run` keeps
// for each IntegrationPackRelease (controller/reconciler/release-status.ts), shaped like the AtomVersion
// status list (status-view.ts).
import type { PackReleaseStatus } from '../reconciler/release-status.js';

const RELEASE_STATUS_LIST_KIND = 'IntegrationPackReleaseStatusList';

export interface ReleaseStatusApi {
  statuses(): PackReleaseStatus[];
  status(key: string): PackReleaseStatus | undefined;
}

export type ReleaseStatusView = PackReleaseStatus & { namespace: string; name: string };

interface Answer {
  status: number;
  body: unknown;
}

function releaseStatusView(status: PackReleaseStatus): ReleaseStatusView {
  const slash = status.key.indexOf('/');
  return { namespace: status.key.slice(0, slash), name: status.key.slice(slash + 1), ...status };
}

export function releaseStatusApi(
  method: string,
  rest: readonly string[],
  api: ReleaseStatusApi | undefined,
  now: Date,
): Answer {
  if (method !== 'GET') return { status: 405, body: { error: 'use GET' } };
  if (!api) return { status: 404, body: { error: 'this server does not reconcile IntegrationPackReleases' } };
  if (rest.length === 0) {
    const items = api.statuses().map(releaseStatusView);
    const list = {
      apiVersion: 'atomsync.io/v1alpha1',
      kind: RELEASE_STATUS_LIST_KIND,
      generatedAt: now.toISOString(),
      items,
    };
    return { status: 200, body: list };
  }
  const [namespace, name] = rest;
  const status = rest.length === 2 ? api.status(`${namespace}/${name}`) : undefined;
  if (!status)
    return { status: 404, body: { error: `no status for IntegrationPackRelease ${rest.join('/')}` } };
  return { status: 200, body: releaseStatusView(status) };
}
