// Collects the snapshots a source emits and lets a test wait for the next one that matches.

import type { SourceSnapshot } from '../../../controller/sources/source.js';

export class SnapshotCollector {
  readonly snapshots: SourceSnapshot[] = [];
  private waiters: {
    after: number;
    predicate: (s: SourceSnapshot) => boolean;
    resolve: (s: SourceSnapshot) => void;
  }[] = [];

  readonly onChange = (snapshot: SourceSnapshot): void => {
    this.snapshots.push(snapshot);
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.predicate(snapshot)) return true;
      waiter.resolve(snapshot);
      return false;
    });
  };

  get last(): SourceSnapshot | undefined {
    return this.snapshots.at(-1);
  }

  /** The first snapshot emitted from now on that matches (any, by default). */
  next(predicate: (snapshot: SourceSnapshot) => boolean = () => true): Promise<SourceSnapshot> {
    return new Promise((resolve) => this.waiters.push({ after: this.snapshots.length, predicate, resolve }));
  }
}

export function pinYaml(
  name: string,
  runtime: string,
  version = '26.11.0',
  namespace = 'integration',
): string {
  return [
    'apiVersion: atomsync.io/v1alpha1',
    'kind: AtomVersion',
    `metadata: {name: ${name}, namespace: ${namespace}}`,
    'spec:',
    '  account: acme-prod',
    `  runtime: {name: ${runtime}}`,
    `  version: ${version}`,
    '',
  ].join('\n');
}
