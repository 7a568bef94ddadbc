// The demo world's fixed names (team brief, examples/sim/demo.yaml): accounts, users, packs.
import { fileURLToPath } from 'node:url';

export const DEMO_SCENARIO_FILE = fileURLToPath(
  new URL('../../../../examples/sim/demo.yaml', import.meta.url),
);

export interface PlatformUser {
  userId: string;
  token: string;
}

export const DEMO_ADMIN: PlatformUser = { userId: 'admin@demo.atomsync', token: 'demo-admin-token' };
export const DEMO_VIEWER: PlatformUser = { userId: 'viewer@demo.atomsync', token: 'demo-viewer-token' };

export const PUBLISHER = 'acme-publisher-A1B2C3';
export const PROD = 'acme-prod-D4E5F6';
export const DEV = 'acme-dev-G7H8I9';
export const EU = 'acme-eu-J1K2L3';
export const BOOMI_PUBLIC = 'boomi-cloud-000000';

export const SALESFORCE_PACK = 'Salesforce to NetSuite';
export const WORKDAY_PACK = 'Workday Sync';

/** The Platform Release (R7) and the Salesforce to NetSuite release date (R10) of the demo calendar. */
export const PLATFORM_RELEASE = '2026-12-05T02:00:00Z';
export const SALESFORCE_RELEASE_DATE = '2026-12-10T00:00:00Z';
