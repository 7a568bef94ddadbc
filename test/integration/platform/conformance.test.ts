// Conformance to Boomi's OpenAPI document (the extract in simulator/openapi/), generated from it: for every
// object the simulator serves, every read operation the document lists (GET by id, QUERY, bulk GET) and
// the Atom UPDATE are called in JSON and in XML, and each answer is validated against the schema the
// document gives for it. XML answers must also be in Boomi's namespace, with every field where the schema
// puts it (attribute or element). The served/not-served table of docs/simulator.md is checked against the
// objects the simulator really serves, so it cannot drift.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromXml } from '../../../simulator/http/xml-wire.js';
import { BOOMI_NAMESPACE, OPENAPI, refName } from '../../../simulator/openapi/wire-schemas.js';
import { validateWire } from '../../support/openapi-validator.js';
import { DEMO_ADMIN, PROD, PUBLISHER } from './support/demo-world.js';
import { Simulators, type Platform } from './support/simulators.js';

const AUTH = `Basic ${Buffer.from(`BOOMI_TOKEN.${DEMO_ADMIN.userId}:${DEMO_ADMIN.token}`).toString('base64')}`;
const DOCS = new URL('../../../docs/simulator.md', import.meta.url);

/** Objects read in another account of the demo world than acme-prod. */
const ACCOUNT_OF: Record<string, string> = { ReleaseIntegrationPackStatus: PUBLISHER };
/** Objects without QUERY whose ids are those of another object (runtime-keyed objects). */
const IDS_FROM: Record<string, string> = { AtomConnectorVersions: 'Atom', RuntimeReleaseSchedule: 'Atom' };

interface Operation {
  object: string;
  kind: 'GET' | 'QUERY' | 'BULK' | 'UPDATE';
  path: string;
  schema: string;
}

/** Every read operation (and Atom UPDATE) of the document for the objects in `served`, with its answer schema. */
function operationsOf(served: ReadonlySet<string>): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(OPENAPI.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const object = op.tags?.[0];
      const ref = op.responses?.['200']?.content?.['application/json']?.schema?.$ref;
      if (!object || !served.has(object) || !ref) continue;
      const kind = operationKind(method, path, object);
      if (kind) operations.push({ object, kind, path, schema: refName(ref) });
    }
  }
  return operations;
}

function operationKind(method: string, path: string, object: string): Operation['kind'] | undefined {
  if (method === 'get' && path === `/${object}/{id}`) return 'GET';
  if (method === 'post' && path === `/${object}/query`) return 'QUERY';
  if (method === 'post' && path === `/${object}/bulk`) return 'BULK';
  if (method === 'post' && path === `/Atom/{id}` && object === 'Atom') return 'UPDATE';
  return undefined;
}

function hasReadOperation(object: string): boolean {
  const paths = OPENAPI.paths;
  return [`/${object}/{id}`, `/${object}/query`, `/${object}/bulk`].some(
    (path) =>
      paths[path]?.['get'] !== undefined || (!path.endsWith('}') && paths[path]?.['post'] !== undefined),
  );
}

const simulators = new Simulators();
let platform: Platform;
let served: Set<string>;
const documented = new Set(OPENAPI.tags.map((tag) => tag.name));

beforeAll(async () => {
  platform = await simulators.demo();
  served = new Set(platform.sim.model.handlers().map((handler) => handler.type));
  // A change, so that the AuditLog has a record to read.
  const atomId = await sampleId('Atom');
  await call(PROD, 'POST', `/Atom/${atomId}`, 'json', { id: atomId, forceRestartTime: 60000 });
});
afterAll(() => simulators.closeAll());

interface Reply {
  status: number;
  text: string;
}

async function call(account: string, method: string, path: string, format: 'json' | 'xml', body?: unknown) {
  const response = await fetch(`${platform.url}/api/rest/v1/${account}${path}`, {
    method,
    headers: {
      Authorization: AUTH,
      Accept: `application/${format}`,
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, text: await response.text() } satisfies Reply;
}

async function sampleId(object: string): Promise<string> {
  if (object === 'ReleaseIntegrationPackStatus') {
    const state = platform.sim.model.dumpState() as { packReleases: Record<string, { requestId: string }> };
    const release = Object.values(state.packReleases)[0];
    if (!release) throw new Error('the demo world has no scheduled pack release');
    return release.requestId;
  }
  const source = IDS_FROM[object] ?? object;
  const reply = await call(ACCOUNT_OF[source] ?? PROD, 'POST', `/${source}/query`, 'json', {});
  const result = (JSON.parse(reply.text) as { result?: { id?: string; documentId?: string }[] }).result;
  const first = result?.[0]?.id ?? result?.[0]?.documentId;
  if (!first) throw new Error(`the demo world has no ${source} to read ${object} by id`);
  return first;
}

async function perform(op: Operation, format: 'json' | 'xml'): Promise<Reply> {
  const account = ACCOUNT_OF[op.object] ?? PROD;
  switch (op.kind) {
    case 'QUERY':
      return call(account, 'POST', op.path, format, {});
    case 'GET':
      return call(account, 'GET', op.path.replace('{id}', await sampleId(op.object)), format);
    case 'BULK':
      return call(account, 'POST', op.path, format, {
        type: 'GET',
        request: [{ id: await sampleId(op.object) }],
      });
    case 'UPDATE': {
      const id = await sampleId(op.object);
      return call(account, 'POST', op.path.replace('{id}', id), format, { id, purgeHistoryDays: 14 });
    }
  }
}

/** Problems of an answer against its schema: none when it conforms. */
function conformance(reply: Reply, format: 'json' | 'xml', schema: string): string[] {
  if (reply.status !== 200) return [`HTTP ${reply.status}: ${reply.text.slice(0, 300)}`];
  if (format === 'json') return validateWire(schema, JSON.parse(reply.text)) ?? [];
  const decoded = fromXml(reply.text, schema);
  const namespace = decoded.namespace === BOOMI_NAMESPACE ? [] : [`namespace ${decoded.namespace}`];
  return [...namespace, ...decoded.problems, ...(validateWire(schema, decoded.value) ?? [])];
}

describe('the document and the simulator agree on what is served', () => {
  it('serves at least the objects atomsync and its users need', () => {
    const needed = ['Atom', 'Environment', 'EnvironmentAtomAttachment', 'AtomConnectorVersions', 'Role'];
    expect(needed.filter((object) => !served.has(object))).toEqual([]);
  });

  it('lists every object of the document in docs/simulator.md, served exactly where the simulator serves it', () => {
    const rows = new Map<string, string>();
    for (const match of readFileSync(DOCS, 'utf8').matchAll(/^\| `([^`]+)` +\| (served|not served)/gm)) {
      rows.set(match[1] ?? '', match[2] ?? '');
    }
    expect([...documented].filter((object) => !rows.has(object))).toEqual([]);
    const claimedServed = [...rows].filter(([, state]) => state === 'served').map(([object]) => object);
    expect(claimedServed.sort()).toEqual([...documented].filter((object) => served.has(object)).sort());
  });
});

describe('answers conform to the document, in JSON and in XML', () => {
  it('covers every read operation of every served object', () => {
    const operations = operationsOf(served);
    const objects = new Set(operations.map((op) => op.object));
    const readable = [...documented].filter((object) => served.has(object) && hasReadOperation(object));
    expect(readable.filter((object) => !objects.has(object))).toEqual([]);
    expect(operations.length).toBeGreaterThanOrEqual(20);
  });

  it('validates every answer against its schema', async () => {
    const failures: string[] = [];
    let validated = 0;
    for (const op of operationsOf(served)) {
      for (const format of ['json', 'xml'] as const) {
        const problems = conformance(await perform(op, format), format, op.schema);
        validated += 1;
        if (problems.length > 0)
          failures.push(`${op.kind} ${op.path} (${format}) → ${op.schema}: ${problems.join('; ')}`);
      }
    }
    expect(failures).toEqual([]);
    expect(validated).toBe(operationsOf(served).length * 2);
  });
});
