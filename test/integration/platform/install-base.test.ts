// Issue 12, Deliver 5 on Boomi's API alone: an account shows which packs are installed
// (IntegrationPackInstance) but not their versions (no IntegrationPackVersions). The install-base read
// says so instead of failing or guessing, and costs the same bounded calls: one query, one Atom query, one
// bulk that the platform answers 404 — never one GET per runtime.
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { observeSubscriber } from '../../../controller/platform/install-base.js';
import type { RequestEvent } from '../../../controller/platform/index.js';
import { DEMO_ADMIN, DEMO_SCENARIO_FILE, EU, PROD, PUBLISHER, WORKDAY_PACK } from './support/demo-world.js';
import { Simulators } from './support/simulators.js';

const sims = new Simulators();
afterEach(() => sims.closeAll());

async function demoWithoutExtensions(): Promise<unknown> {
  const scenario = parse(await readFile(DEMO_SCENARIO_FILE, 'utf8')) as Record<string, unknown>;
  return { ...scenario, platform: { extensions: false } };
}

describe("the install base on Boomi's API alone", () => {
  it('reads which accounts have the pack installed and says their versions are not readable', async () => {
    const platform = await sims.scenario(await demoWithoutExtensions(), DEMO_ADMIN);
    const publisher = platform.client(PUBLISHER, DEMO_ADMIN);
    const packs = await publisher.queryAll<{ id: string; name: string }>('PublisherIntegrationPack');
    const workday = packs.find((p) => p.name === WORKDAY_PACK)!.id;
    const calls: RequestEvent[] = [];
    const target = (accountId: string) => ({
      accountId,
      client: platform.client(accountId, DEMO_ADMIN, { onRequest: (e) => calls.push(e) }),
    });

    expect(await observeSubscriber(target(PROD), [workday])).toEqual({
      accountId: PROD,
      readable: true,
      installedPackIds: [workday],
    });
    expect(calls.map((c) => `${c.verb} ${c.object} ${c.status}`)).toEqual([
      'QUERY IntegrationPackInstance 200',
      'QUERY Atom 200',
      'BULK IntegrationPackVersions 404',
    ]);
    expect(await observeSubscriber(target(EU), [workday])).toEqual({
      accountId: EU,
      readable: true,
      installedPackIds: [],
    });
    expect(calls).toHaveLength(4);
  });
});
