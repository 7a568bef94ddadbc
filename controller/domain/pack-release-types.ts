// The publisher's side of an integration pack (docs/publisher.md): an IntegrationPackRelease document
// says which packaged component versions the next release of a pack carries and when it reaches the
// install base. These are its types as the domain sees them, apart from the AtomVersion pins'.
import type { Origin } from './types.js';

export interface PackagedComponentPin {
  componentId: string;
  version: string;
}

export interface IntegrationPackReleaseSpec {
  /** The publisher account (alias or id from the config). */
  account: string;
  /** The pack's name or id. */
  pack: string;
  components: PackagedComponentPin[];
  /** Exactly one of release and releaseOn is set (checked when loading). */
  release?: 'immediately';
  /** yyyy-MM-dd, midnight UTC. */
  releaseOn?: string;
}

export interface DesiredPackRelease {
  /** `namespace/name`, as for AtomVersions. */
  key: string;
  name: string;
  namespace: string;
  /** A content hash of the spec (files) or metadata.generation (Kubernetes). */
  generation: string;
  spec: IntegrationPackReleaseSpec;
  origin: Origin;
}
