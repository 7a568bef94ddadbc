// Where IntegrationPackReleases live in the Kubernetes API (crds/integrationpackrelease.yaml): group,
// version and plural come from the CRD, never restated. The calls are custom-objects.ts's.
import {
  PACK_RELEASE_API_VERSION,
  PACK_RELEASE_KIND,
  PACK_RELEASE_PLURAL,
} from '../schema/packrelease-schema.js';
import type { CustomResourceCoordinates } from './custom-objects.js';

const [GROUP, VERSION] = PACK_RELEASE_API_VERSION.split('/') as [string, string];

export const PACK_RELEASES: CustomResourceCoordinates = {
  group: GROUP,
  version: VERSION,
  plural: PACK_RELEASE_PLURAL,
};

export { PACK_RELEASE_API_VERSION, PACK_RELEASE_KIND };
