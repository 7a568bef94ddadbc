// atomsync's Kubernetes parts at scale, against the fake API server over real HTTP with the real kubectl:
// - 1,000 AtomVersions applied with one `kubectl apply`: time until the source has seen them all;
// - a source starting cold on 1,000 AtomVersions: time to its first snapshot (paged list);
// - status writes per object per reconcile pass, with atomsync's status writer and a stand-in reconcile
//   (target: 1 when the status changes, 0 when it does not);
// - latency from the API server accepting an AtomVersion (kubectl's create) to the source's change
//   callback for it: p50, p99, max.
// Prints JSON and a table (and writes bench/results/kube.json). Needs kubectl on PATH.
// Run: npm run build && node dist/bench/kube.js [count]   (or as part of npm run bench)

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { atomVersionCrdPath } from '../controller/schema/atomversion-schema.js';
import type { DesiredAtomVersion } from '../controller/domain/types.js';
import { KubeSource } from '../controller/kube/kube-source.js';
import { KubeStatusWriter } from '../controller/kube/status-writer.js';
import type { AtomVersionStatus } from '../controller/domain/status.js';
import type { SourceSnapshot } from '../controller/sources/source.js';
import { startFakeKube, type FakeKube, type RecordedRequest } from '../test/fakes/kube-api-server.js';
import { runKubectl } from '../test/fakes/kube/run-kubectl.js';
import {
  isMain,
  runStandalone,
  type Benchmark,
  type BenchOutcome,
  type BenchRow,
} from './support/results.js';

const NAMESPACE = 'integration';

export interface KubeBenchResult {
  name: 'kube';
  atomVersions: number;
  /** Wall time of the one `kubectl apply -f` of every AtomVersion. */
  kubectlApplyMs: number;
  /** From the start of `kubectl apply` until the source emitted a snapshot holding them all. */
  applyToAllSeenMs: number;
  /** A new source on the populated namespace: start() to its first (complete) snapshot. */
  coldStartMs: number;
  statusWritesPerObjectPerReconcile: { firstPass: number; unchangedPass: number; changedPass: number };
  /** Milliseconds of one status write (HTTP merge-patch), averaged over the first pass. */
  statusWriteMs: number;
  /** API server accepted the create → the source's `added` callback. */
  applyToEventMs: { p50: number; p99: number; max: number };
}

export async function runKubeBench(count = 1000): Promise<KubeBenchResult> {
  const kube = await startFakeKube({ crdFiles: [atomVersionCrdPath], namespaces: [NAMESPACE] });
  const work = await mkdtemp(join(tmpdir(), 'atomsync-kube-bench-'));
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kube.kubeconfigPath);
  const source = new KubeSource({ kubeConfig, namespaces: [NAMESPACE], coalesceMs: 50 });
  try {
    const accepted = timestampCreates(kube);
    const seenAt = new Map<string, number>();
    source.onObjectChange((change) => {
      if (change.type === 'added') seenAt.set(change.object.metadata?.name ?? '', performance.now());
    });
    let allSeenAt = Number.NaN;
    let latest: SourceSnapshot | undefined;
    await source.start((snapshot) => {
      latest = snapshot;
      if (snapshot.desired.length === count && Number.isNaN(allSeenAt)) allSeenAt = performance.now();
    });

    const file = join(work, 'atomversions.yaml');
    await writeFile(file, manifests(count));
    const applyStart = performance.now();
    const applied = await runKubectl(kube, ['apply', '-f', file]);
    const kubectlApplyMs = performance.now() - applyStart;
    if (applied.code !== 0) throw new Error(`kubectl apply failed: ${applied.stderr}`);
    await waitUntil(() => !Number.isNaN(allSeenAt));

    const createdAt = new Map<string, number>();
    for (const name of seenAt.keys()) createdAt.set(name, accepted.acceptedAt(name) ?? Number.NaN);
    const latencies = [...seenAt].map(([name, at]) => at - (createdAt.get(name) ?? Number.NaN));
    if (latencies.some(Number.isNaN))
      throw new Error('an AtomVersion was seen that the API server did not create');
    const coldStartMs = await coldStart(kubeConfig, count);
    const writes = await statusWrites(kubeConfig, source, latest?.desired ?? []);
    return {
      name: 'kube',
      atomVersions: count,
      kubectlApplyMs: round(kubectlApplyMs),
      applyToAllSeenMs: round(allSeenAt - applyStart),
      coldStartMs: round(coldStartMs),
      statusWritesPerObjectPerReconcile: writes.perObject,
      statusWriteMs: round(writes.writeMs),
      applyToEventMs: {
        p50: round(percentile(latencies, 0.5)),
        p99: round(percentile(latencies, 0.99)),
        max: round(Math.max(...latencies)),
      },
    };
  } finally {
    await source.stop();
    await kube.close();
    await rm(work, { recursive: true, force: true });
  }
}

function manifests(count: number): string {
  const docs = Array.from({ length: count }, (_, i) => ({
    apiVersion: 'atomsync.io/v1alpha1',
    kind: 'AtomVersion',
    metadata: { name: `runtime-${String(i).padStart(4, '0')}`, namespace: NAMESPACE },
    spec: {
      account: i % 2 === 0 ? 'acme-prod' : 'acme-dev',
      runtime: { name: `Runtime ${i}` },
      version: '26.12.0',
      connectors: [{ name: 'HTTP Client', version: '26.12.0' }],
    },
  }));
  return docs.map((doc) => stringify(doc)).join('---\n');
}

/** Records when the API server received each request (its log is pushed on arrival, before the write). */
function timestampCreates(kube: FakeKube): { acceptedAt(name: string): number | undefined } {
  const arrivals = new Map<RecordedRequest, number>();
  const push = kube.requests.push.bind(kube.requests);
  kube.requests.push = (...entries: RecordedRequest[]) => {
    for (const entry of entries) arrivals.set(entry, performance.now());
    return push(...entries);
  };
  return {
    acceptedAt(name) {
      for (const [entry, at] of arrivals) {
        const body = entry.body as { metadata?: { name?: string } } | undefined;
        if (entry.method === 'POST' && body?.metadata?.name === name) return at;
      }
      return undefined;
    },
  };
}

async function coldStart(kubeConfig: KubeConfig, count: number): Promise<number> {
  const cold = new KubeSource({ kubeConfig, namespaces: [NAMESPACE] });
  const started = performance.now();
  let seen = 0;
  await cold.start((snapshot) => (seen = snapshot.desired.length));
  const elapsed = performance.now() - started;
  await cold.stop();
  if (seen !== count) throw new Error(`cold start saw ${seen} of ${count} AtomVersions`);
  return elapsed;
}

/** Three stand-in reconcile passes over every AtomVersion: new status, the same again, a changed one. */
async function statusWrites(
  kubeConfig: KubeConfig,
  source: KubeSource,
  desired: DesiredAtomVersion[],
): Promise<{ perObject: KubeBenchResult['statusWritesPerObjectPerReconcile']; writeMs: number }> {
  const writer = new KubeStatusWriter({ kubeConfig, observe: (key) => source.getObject(key) });
  const pass = async (version: string): Promise<number> => {
    const before = writer.stats().writes;
    for (const item of desired) await writer.write(standInStatus(item, version));
    return (writer.stats().writes - before) / Math.max(1, desired.length);
  };
  const started = performance.now();
  const firstPass = await pass('26.11.0');
  const writeMs = (performance.now() - started) / Math.max(1, desired.length);
  const unchangedPass = await pass('26.11.0');
  const changedPass = await pass('26.12.0');
  return { perObject: { firstPass, unchangedPass, changedPass }, writeMs };
}

function standInStatus(desired: DesiredAtomVersion, runtimeVersion: string): AtomVersionStatus {
  const synced = runtimeVersion === desired.spec.version;
  const at = '2026-11-23T08:00:00.000Z';
  return {
    key: desired.key,
    observedGeneration: desired.generation,
    conditions: [
      {
        type: 'Ready',
        status: synced ? 'True' : 'False',
        reason: synced ? 'InSync' : 'Drifted',
        message: 'stand-in',
        lastTransitionTime: at,
      },
    ],
    pins: [
      {
        kind: 'runtime',
        name: 'Atom',
        wanted: desired.spec.version ?? '',
        current: runtimeVersion,
        outcome: synced ? 'InSync' : 'ApplyPending',
        message: 'stand-in',
      },
    ],
    runtimeName: desired.spec.runtime.name ?? '',
    runtimeVersion,
    synced: synced ? 'True' : 'False',
    history: [],
  };
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}

/** For bench/run-all.ts: the figures and their table rows (targets where the brief sets one). */
export const benchmark: Benchmark = {
  name: 'kube',
  async run(): Promise<BenchOutcome> {
    const result = await runKubeBench(Number(process.env.KUBE_BENCH_COUNT ?? 1000));
    return { name: 'kube', result, rows: rowsOf(result) };
  },
};

function rowsOf(result: KubeBenchResult): BenchRow[] {
  const row = (metric: string, value: number, unit: string, target?: [string, boolean]): BenchRow => ({
    benchmark: 'kube',
    metric,
    value,
    unit,
    ...(target ? { target: target[0], pass: target[1] } : {}),
  });
  const writes = result.statusWritesPerObjectPerReconcile;
  return [
    row(`kubectl apply of ${result.atomVersions} AtomVersions`, result.kubectlApplyMs, 'ms'),
    row('apply → source saw all', result.applyToAllSeenMs, 'ms'),
    row('cold start (paged list)', result.coldStartMs, 'ms'),
    row('status writes per object, first pass', writes.firstPass, 'writes', ['<= 1', writes.firstPass <= 1]),
    row('status writes per object, same status', writes.unchangedPass, 'writes', [
      '= 0',
      writes.unchangedPass === 0,
    ]),
    row('status writes per object, changed status', writes.changedPass, 'writes', [
      '<= 1',
      writes.changedPass <= 1,
    ]),
    row('status write', result.statusWriteMs, 'ms'),
    row('apply → event p50', result.applyToEventMs.p50, 'ms'),
    row('apply → event p99', result.applyToEventMs.p99, 'ms'),
    row('apply → event max', result.applyToEventMs.max, 'ms'),
  ];
}

if (isMain(import.meta.url)) {
  if (process.argv[2]) process.env.KUBE_BENCH_COUNT = process.argv[2];
  await runStandalone(benchmark);
}
