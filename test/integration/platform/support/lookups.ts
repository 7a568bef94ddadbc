// Finding ids and reading versions through the platform client, as atomsync itself would.
import { equals, type AtomSphereClient } from '../../../../controller/platform/index.js';
import type {
  Atom,
  AtomVersionEntry,
  AtomVersions,
  Environment,
  IntegrationPack,
  IntegrationPackVersionEntry,
  IntegrationPackVersions,
} from '../../../../controller/platform/index.js';

export async function runtimeId(client: AtomSphereClient, name: string): Promise<string> {
  return (await one<Atom>(client, 'Atom', name)).id;
}

export async function environmentId(client: AtomSphereClient, name: string): Promise<string> {
  return (await one<Environment>(client, 'Environment', name)).id;
}

export async function packId(client: AtomSphereClient, name: string): Promise<string> {
  return (await one<IntegrationPack>(client, 'IntegrationPack', name)).id;
}

/** AtomVersions of a runtime, by component name. */
export async function componentsOf(
  client: AtomSphereClient,
  atomId: string,
): Promise<Record<string, AtomVersionEntry>> {
  const body = await client.get<AtomVersions>('AtomVersions', atomId);
  return Object.fromEntries(body.AtomVersion.map((entry) => [entry.name, entry]));
}

/** IntegrationPackVersions of a runtime, by pack name. */
export async function packsOf(
  client: AtomSphereClient,
  atomId: string,
): Promise<
  Record<string, IntegrationPackVersionEntry & { integrationPackEnvironmentAttachmentId?: string }>
> {
  const body = await client.get<IntegrationPackVersions>('IntegrationPackVersions', atomId);
  return Object.fromEntries(body.IntegrationPackVersion.map((entry) => [entry.name, entry]));
}

export async function requestStatus(client: AtomSphereClient, object: string, id: string): Promise<string> {
  return String((await client.get<{ status?: string }>(object, id)).status);
}

async function one<T extends { name: string }>(
  client: AtomSphereClient,
  object: string,
  name: string,
): Promise<T> {
  const [found, ...more] = await client.queryAll<T>(object, equals('name', name));
  if (!found || more.length > 0) throw new Error(`expected exactly one ${object} named "${name}"`);
  return found;
}
