// Reads served in the second round of issue 13: their values come from the simulated world. A runtime's
// shared web server settings tell what SharedServerInformation tells of the same runtime; events, pack
// processes and map extensions are none, since the world runs no processes and deploys no maps.
import { describe, expect, it } from 'vitest';
import type { WireObject } from '../../../../simulator/model/port.js';
import { ADMIN, demoWorld, PROD } from './world-fixtures.js';

function at(value: WireObject | undefined, ...path: (string | number)[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)?.[key], value);
}

describe('reads derived from the simulated world', () => {
  it("give each runtime's shared web server the address, port and threads SharedServerInformation reports", async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, PROD);
    const runtimes = ['Prod East Molecule', 'Prod West Atom'].map((name) => world.runtimeId(PROD, name));
    const urls = runtimes.map((id) => {
      const info = world.handler('SharedServerInformation').get!(ctx, id);
      const server = world.handler('SharedWebServer').get!(ctx, id);
      expect(at(server, 'atomId')).toBe(id);
      expect(at(server, 'generalSettings', 'baseUrl')).toBe(at(info, 'url'));
      expect(at(server, 'generalSettings', 'externalHost')).toBe(at(info, 'externalHost'));
      expect(at(server, 'generalSettings', 'maxNumberOfThreads')).toBe(at(info, 'maxThreads'));
      expect(at(server, 'generalSettings', 'listenerPorts', 'port', 0, 'port')).toBe(at(info, 'httpPort'));
      expect(at(server, 'userManagement', 'users')).toEqual([]);
      return at(info, 'url');
    });
    expect(new Set(urls).size).toBe(runtimes.length);
  });

  it('list no events and no pack processes, and know no process or map extension by id', async () => {
    const world = await demoWorld();
    const ctx = world.context(ADMIN, PROD);
    const anyPackId = world.handler('IntegrationPack').list!(ctx)[0]?.['id'];
    expect(anyPackId).toBeDefined();
    expect(world.handler('Event').list!(ctx)).toEqual([]);
    expect(world.handler('Process').list!(ctx)).toEqual([]);
    for (const type of ['Process', 'EnvironmentMapExtension', 'EnvironmentMapExtensionUserDefinedFunction']) {
      expect(world.handler(type).get!(ctx, String(anyPackId)), type).toBeUndefined();
    }
  });
});
