// Paging and bulk through the client: QUERY answers at most 100 results and a queryToken, queryMore takes
// the rest; bulk GET takes at most 100 ids per call.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Atom, AtomSphereClient } from '../../../controller/platform/index.js';
import type { RuntimeInput } from '../../../simulator/scenario/scenario-types.js';
import { SMALL, smallScenario } from '../../support/simulator/small-scenario.js';
import { recordingFetch, type RecordingFetch } from './support/recording-fetch.js';
import { Simulators } from './support/simulators.js';
import { expectWire } from './support/wire-assertions.js';

const RUNTIMES = 250;
const sims = new Simulators();
let client: AtomSphereClient;
let wire: RecordingFetch;

beforeEach(async () => {
  const scenario = smallScenario();
  scenario.accounts[0]!.runtimes = Array.from({ length: RUNTIMES }, (_, i): RuntimeInput => ({
    name: `Runtime ${String(i + 1).padStart(3, '0')}`,
    type: 'ATOM',
    environment: 'Test',
  }));
  const platform = await sims.scenario(scenario, SMALL.admin);
  wire = recordingFetch();
  client = platform.client(SMALL.accountId, SMALL.admin, { fetchImpl: wire.fetchImpl });
});
afterEach(() => sims.closeAll());

it('query() yields all 250 runtimes across 3 pages: one QUERY and two QUERY_MORE calls', async () => {
  const names: string[] = [];
  for await (const atom of client.query<Atom>('Atom')) names.push(atom.name);
  expect(names).toHaveLength(RUNTIMES);
  expect(new Set(names).size).toBe(RUNTIMES);
  expect(client.stats.byVerb).toEqual({ QUERY: 1, QUERY_MORE: 2 });

  const pages = wire.exchanges.map(
    (e) => e.body as { numberOfResults: number; result: unknown[]; queryToken?: string },
  );
  expect(pages.map((p) => [p.numberOfResults, p.result.length, p.queryToken !== undefined])).toEqual([
    [RUNTIMES, 100, true],
    [RUNTIMES, 100, true],
    [RUNTIMES, 50, false],
  ]);
  pages.forEach((page) => expectWire('AtomQueryResponse', page));
});

it('query() fetches the next page only when the iteration reaches it', async () => {
  let seen = 0;
  for await (const _atom of client.query<Atom>('Atom')) {
    seen += 1;
    if (seen === 100) break;
  }
  expect(client.stats.byVerb).toEqual({ QUERY: 1 });
});

it('bulkGet of 250 ids makes 3 bulk calls of at most 100 ids and returns every runtime', async () => {
  const ids = (await client.queryAll<Atom>('Atom')).map((a) => a.id);
  client.counter.reset();
  wire.exchanges.length = 0;
  const { items, errors } = await client.bulkGet<Atom>('Atom', ids);
  expect(items.size).toBe(RUNTIMES);
  expect(errors).toEqual([]);
  expect(client.stats.byVerb).toEqual({ BULK: 3 });
  expect(wire.exchanges.map((e) => (e.body as { response: unknown[] }).response.length)).toEqual([
    100, 100, 50,
  ]);
  wire.exchanges.forEach((e) => expectWire('AtomBulkResponse', e.body));
});
