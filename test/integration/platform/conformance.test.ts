// Conformance to Boomi's OpenAPI document (the extract in simulator/openapi/), generated from it: for every
// object the simulator serves, every operation the document lists and the simulator takes (CREATE, GET,
// QUERY, bulk GET, UPDATE, DELETE) is called in JSON and in XML, and each answer is validated against the
// schema the document gives for it. Writes send the document's own request examples — the JSON one, and
// the XML one as Boomi's XML clients would — with the example ids swapped for ids of the simulated world.
// XML answers must also be in Boomi's namespace, with every field where the schema puts it (attribute or
// element). The document's remaining XML request examples (queries, bulk) are replayed as well, and the
// served/not-served table of docs/simulator.md is checked against the objects the simulator really serves.
import { readFileSync } from 'node:fs';
import { XMLValidator } from 'fast-xml-parser';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromXml, toXml } from '../../../simulator/http/xml-wire.js';
import type { ObjectHandler } from '../../../simulator/model/port.js';
import { BOOMI_NAMESPACE, OPENAPI } from '../../../simulator/openapi/wire-schemas.js';
import { validateWire } from '../../support/openapi-validator.js';
import {
  BOOMI_PUBLIC,
  DEMO_ADMIN,
  PROD,
  PUBLISHER,
  SALESFORCE_PACK,
  WORKDAY_PACK,
  DEMO_SCENARIO_FILE,
} from './support/demo-world.js';
import {
  allowedQueryOperators,
  allowedQueryProperties,
  queryOperators,
  documentOperations,
  queryProperties,
  isServed,
  withIds,
  xmlWithIds,
  type DocumentOperation,
  type Ids,
  type Kind,
} from './support/document-operations.js';
import { Simulators, type Platform } from './support/simulators.js';

const AUTH = `Basic ${Buffer.from(`BOOMI_TOKEN.${DEMO_ADMIN.userId}:${DEMO_ADMIN.token}`).toString('base64')}`;
const DOCS = new URL('../../../docs/simulator.md', import.meta.url);
const FORMATS = ['json', 'xml'] as const;
type Format = (typeof FORMATS)[number];
const XML_HEAD = `xmlns:bns="${BOOMI_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`;

/** Objects read in another account of the demo world than acme-prod. */
const ACCOUNT_OF: Record<string, string> = {
  ReleaseIntegrationPack: PUBLISHER,
  ReleaseIntegrationPackStatus: PUBLISHER,
  PublisherIntegrationPack: PUBLISHER,
  AccountGroupIntegrationPack: PUBLISHER,
  RuntimeCloud: BOOMI_PUBLIC,
  AccountCloudAttachmentSummary: BOOMI_PUBLIC,
};
/** Objects without QUERY whose ids are those of another object (runtime-keyed objects). */
const IDS_FROM: Record<string, string> = {
  AtomConnectorVersions: 'Atom',
  RuntimeReleaseSchedule: 'Atom',
  AtomStartupProperties: 'Atom',
  AtomCounters: 'Atom',
  AtomDiskSpace: 'Atom',
  AtomSecurityPolicies: 'Atom',
  ListQueues: 'Atom',
  RuntimeProperties: 'Atom',
  RuntimeObservabilitySettings: 'Atom',
  SharedServerInformation: 'Atom',
  SharedWebServer: 'Atom',
  EnvironmentExtensions: 'Environment',
  AccountSSOConfig: 'Account',
};
/**
 * Objects created and deleted by the run whose other operations are tried on an existing record: an Atom
 * CREATE makes a Cloud attachment, which UPDATE may not change (R4).
 */
const READS_EXISTING = new Set(['Atom']);
/**
 * Objects of which the demo world has no record (no deployed maps, packs without processes): read by an
 * id the world does not have, GET answers 404 with Boomi's Error body naming that id, and bulk GET the
 * item's error.
 */
const NONE_IN_WORLD = new Set([
  'EnvironmentMapExtension',
  'EnvironmentMapExtensionUserDefinedFunction',
  'Process',
]);
const ABSENT_ID = 'absent-0000-id';
/** Objects some records of the source have only: the first such record gives the id. */
const SAMPLE_WHERE: Record<string, (item: Record<string, unknown>) => boolean> = {
  CloudAttachmentProperties: (atom) => atom['isCloudAttachment'] === true,
};

const simulators = new Simulators();
let platform: Platform;
let handlers: Map<string, ObjectHandler>;
const documented = new Set(OPENAPI.tags.map((tag) => tag.name));
/** The ids the document's examples get, by object (defaults under ''). */
let idsFor: (object: string) => Ids;
const replayedXml = new Set<string>();

/**
 * The demo world, its admin also holding ACCOUNT_ADMIN: Role and AccountUserRole writes need it (the
 * document's required privileges), and the demo's runtime administrator does not manage users.
 */
function demoWithAccountAdmin(): unknown {
  const demo = parseYaml(readFileSync(DEMO_SCENARIO_FILE, 'utf8')) as {
    roles: { name: string; description: string; privileges: string[] }[];
    users: { userId: string; roles: string[] }[];
  };
  demo.roles.push({
    name: 'Account Administrator',
    description: 'Manages roles and users',
    privileges: ['API', 'ACCOUNT_ADMIN'],
  });
  const admin = demo.users.find((user) => user.userId === DEMO_ADMIN.userId);
  admin?.roles.push('Account Administrator');
  return demo;
}

/** A figure docs/simulator.md states (the first group of `pattern`). */
function documentedFigure(pattern: RegExp): number {
  const match = pattern.exec(readFileSync(DOCS, 'utf8'));
  if (!match) throw new Error(`docs/simulator.md states no figure matching ${String(pattern)}`);
  return Number(match[1]);
}

interface Reply {
  status: number;
  text: string;
}

interface Outcome {
  label: string;
  problems: string[];
}

beforeAll(async () => {
  platform = await simulators.scenario(demoWithAccountAdmin(), DEMO_ADMIN);
  handlers = new Map(platform.sim.model.handlers().map((handler) => [handler.type, handler]));
  const named = async (object: string, account = PROD) =>
    new Map(
      (await listOf(account, object)).map((item) => [String(item['name']), String(item['id'])] as const),
    );
  const environments = await named('Environment');
  const atoms = await named('Atom');
  const packs = await named('IntegrationPack');
  const instances = await listOf(PROD, 'IntegrationPackInstance');
  const workdayInstance = instances.find((i) => i['integrationPackId'] === packs.get(WORKDAY_PACK));
  const clouds = await named('Cloud');
  const defaults: Ids = {
    cloudId: clouds.get('Public Cloud US East'),
    parentId: String((await listOf(PROD, 'Role'))[0]?.['id']),
    atomId: atoms.get('Prod West Atom'),
    runtimeId: atoms.get('Prod West Atom'),
    environmentId: environments.get('Production'),
    roleId: String((await listOf(PROD, 'Role'))[0]?.['id']),
    integrationPackInstanceId: String(workdayInstance?.['id']),
    // MULTI, so the document's install example (with an override name) is allowed.
    integrationPackId: packs.get(SALESFORCE_PACK),
  };
  const overrides: Record<string, Ids> = {
    // A runtime attached elsewhere (R1 moves it) and a pack instance not yet in Staging.
    EnvironmentAtomAttachment: { atomId: atoms.get('Staging Atom') },
    IntegrationPackEnvironmentAttachment: { environmentId: environments.get('Staging') },
    ReleaseIntegrationPack: { id: packs.get(WORKDAY_PACK), releaseOnDate: '2026-12-20' },
  };
  idsFor = (object) => ({ ...defaults, accountId: ACCOUNT_OF[object] ?? PROD, ...overrides[object] });
  // A change, so that the AuditLog has a record to read.
  const atomId = defaults.atomId!;
  await call(PROD, 'POST', `/Atom/${atomId}`, 'json', { id: atomId, forceRestartTime: 60000 });
});
afterAll(() => simulators.closeAll());

async function call(account: string, method: string, path: string, format: Format, body?: unknown) {
  const xmlBody = typeof body === 'string';
  const response = await fetch(`${platform.url}/api/rest/v1/${account}${path}`, {
    method,
    headers: {
      Authorization: AUTH,
      Accept: `application/${format}`,
      ...(body !== undefined && { 'Content-Type': xmlBody ? 'application/xml' : 'application/json' }),
    },
    ...(body !== undefined && { body: xmlBody ? body : JSON.stringify(body) }),
  });
  return { status: response.status, text: await response.text() } satisfies Reply;
}

async function listOf(account: string, object: string): Promise<Record<string, unknown>[]> {
  const reply = await call(account, 'POST', `/${object}/query`, 'json', {});
  return (JSON.parse(reply.text) as { result?: Record<string, unknown>[] }).result ?? [];
}

async function sampleId(object: string): Promise<string> {
  // UPDATE changes a pack's scheduled release: the pack the CREATE calls scheduled one for.
  if (object === 'ReleaseIntegrationPack') return String(idsFor(object)['id']);
  if (object === 'ReleaseIntegrationPackStatus') {
    const state = platform.sim.model.dumpState() as { packReleases: Record<string, { requestId: string }> };
    const release = Object.values(state.packReleases)[0];
    if (!release) throw new Error('the demo world has no scheduled pack release');
    return release.requestId;
  }
  if (NONE_IN_WORLD.has(object)) return ABSENT_ID;
  const source = IDS_FROM[object] ?? (SAMPLE_WHERE[object] ? 'Atom' : object);
  const first = (await listOf(ACCOUNT_OF[source] ?? PROD, source)).find(SAMPLE_WHERE[object] ?? (() => true));
  const id = first?.['id'] ?? first?.['documentId'] ?? first?.['accountId'] ?? first?.['runtimeId'];
  if (typeof id !== 'string') throw new Error(`the demo world has no ${source} to read ${object} by id`);
  return id;
}

/** The body a call of this kind sends: the document's example for writes, else the smallest valid request. */
function requestBody(op: DocumentOperation, format: Format, ids: Ids, sample: string): unknown {
  switch (op.kind) {
    case 'CREATE':
    case 'UPDATE': {
      if (format === 'json') return withIds(op.jsonExample ?? {}, ids);
      const [name, xml] = Object.entries(op.xmlExamples)[0] ?? [];
      if (name === undefined || xml === undefined) throw new Error(`${op.path} has no XML example`);
      // An example that is not XML is replayed on its own (below); the call sends its JSON twin as XML.
      if (XMLValidator.validate(xml) !== true) return toXml(withIds(op.jsonExample ?? {}, ids), op.object);
      replayedXml.add(`${op.method} ${op.path} ${name}`);
      return xmlWithIds(xml, ids);
    }
    case 'QUERY':
      return format === 'json' ? {} : `<bns:QueryConfig ${XML_HEAD}/>`;
    case 'BULK':
      return format === 'json'
        ? { type: 'GET', request: [{ id: sample }] }
        : `<bns:BulkRequest ${XML_HEAD} type="GET"><bns:request xsi:type="bns:BulkId" id="${sample}"/></bns:BulkRequest>`;
    default:
      return undefined;
  }
}

async function perform(op: DocumentOperation, format: Format, sample = ''): Promise<Reply> {
  const account = ACCOUNT_OF[op.object] ?? PROD;
  const runtimeKeyed = IDS_FROM[op.object] === 'Atom' && sample !== '' && op.kind !== 'ASYNC_RESPONSE';
  const ids: Ids = {
    ...idsFor(op.object),
    ...(op.kind === 'UPDATE' && { id: sample }),
    ...(runtimeKeyed && { atomId: sample }),
  };
  const method = op.method.toUpperCase();
  const path = op.path.replace('{id}', sample).replace('{token}', sample);
  if (op.object === 'ReleaseIntegrationPack' && op.kind === 'UPDATE') await scheduleRelease(sample);
  return call(account, method, path, format, requestBody(op, format, ids, sample));
}

/** Boomi updates only a scheduled release: each UPDATE call gets one (a 409 means one is there already). */
async function scheduleRelease(packId: string): Promise<void> {
  const body = { id: packId, releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: '2026-12-20' };
  await call(PUBLISHER, 'POST', '/ReleaseIntegrationPack', 'json', body);
}

/** Problems of an answer against the document: none when it conforms. */
function conformance(op: DocumentOperation, reply: Reply, format: Format): string[] {
  if (reply.status !== 200) return [`HTTP ${reply.status}: ${reply.text.slice(0, 300)}`];
  if (op.schema === undefined) return reply.text === '' ? [] : [`a body where the document has none`];
  if (format === 'json') return validateWire(op.schema, JSON.parse(reply.text)) ?? [];
  const decoded = fromXml(reply.text, op.schema);
  const namespace = decoded.namespace === BOOMI_NAMESPACE ? [] : [`namespace ${decoded.namespace}`];
  return [...namespace, ...decoded.problems, ...(validateWire(op.schema, decoded.value) ?? [])];
}

/**
 * Problems of a read of an id the world does not have: none when GET is Boomi's 404 naming the id and bulk
 * GET a 200 whose item is the 400 naming it (as the document's PublisherIntegrationPack bulk example; the
 * item schema's required Result is absent there too).
 */
function absenceProblems(op: DocumentOperation, reply: Reply, format: Format, id: string): string[] {
  const expected = op.kind === 'BULK' ? 200 : 404;
  if (reply.status !== expected) {
    return [`expected HTTP ${expected} for ${id}, got ${reply.status}: ${reply.text.slice(0, 200)}`];
  }
  const schema = op.kind === 'BULK' ? op.schema! : 'Error';
  const body =
    format === 'json'
      ? (JSON.parse(reply.text) as Record<string, unknown>)
      : fromXml(reply.text, schema).value;
  const item = op.kind === 'BULK' ? ((body['response'] as Record<string, unknown>[])[0] ?? {}) : body;
  const message = String(item[op.kind === 'BULK' ? 'errorMessage' : 'message']);
  const status =
    op.kind === 'BULK' && Number(item['statusCode']) !== 400
      ? [`item status ${String(item['statusCode'])}`]
      : [];
  return message.includes(id)
    ? status
    : [...status, `the ${format} answer does not name ${id}: ${reply.text.slice(0, 200)}`];
}

function idOfAnswer(op: DocumentOperation, reply: Reply, format: Format): string | undefined {
  if (reply.status !== 200 || op.schema === undefined) return undefined;
  const body =
    format === 'json'
      ? (JSON.parse(reply.text) as Record<string, unknown>)
      : fromXml(reply.text, op.schema).value;
  return typeof body['id'] === 'string' ? body['id'] : undefined;
}

/** The token of Boomi's async GET answer (AsyncOperationTokenResult). */
function tokenOfAnswer(reply: Reply, format: Format): string | undefined {
  if (reply.status !== 200) return undefined;
  const body =
    format === 'json'
      ? (JSON.parse(reply.text) as Record<string, unknown>)
      : fromXml(reply.text, 'AsyncOperationTokenResult').value;
  const asyncToken = body['asyncToken'] as Record<string, unknown> | undefined;
  return typeof asyncToken?.['token'] === 'string' ? asyncToken['token'] : undefined;
}

/**
 * One object's served operations in both formats. An object with CREATE and DELETE is created from the
 * JSON example and deleted, created again from the XML example, read, updated, and deleted at the end, so
 * the world is as before; other objects are read through an object the demo world has.
 */
async function runObject(object: string, handler: ObjectHandler): Promise<Outcome[]> {
  const ops = new Map<Kind, DocumentOperation>();
  for (const op of documentOperations(object)) if (isServed(handler, op.kind)) ops.set(op.kind, op);
  const outcomes: Outcome[] = [];
  const record = async (op: DocumentOperation, format: Format, sample?: string) => {
    const reply = await perform(op, format, sample);
    const problems =
      (op.kind === 'GET' || op.kind === 'BULK') && NONE_IN_WORLD.has(object)
        ? absenceProblems(op, reply, format, sample ?? '')
        : conformance(op, reply, format);
    outcomes.push({ label: `${op.kind} ${op.path} (${format})`, problems });
    return reply;
  };
  const create = ops.get('CREATE');
  const remove = ops.get('DELETE');
  let created: string | undefined;
  for (const format of create ? FORMATS : []) {
    created = idOfAnswer(create!, await record(create!, format), format);
    if (remove && created && format === 'json') await record(remove, 'json', created);
    // Lets what the JSON call started (a restart) finish before the XML call does it again.
    await platform.control.advance(60_000);
  }
  const needsSample = [...ops.values()].some((op) => op.path.includes('{id}'));
  const readsCreated = remove && created && !READS_EXISTING.has(object);
  const sample = readsCreated ? created! : needsSample ? await sampleId(object) : '';
  for (const kind of ['GET', 'QUERY', 'BULK', 'UPDATE'] as const) {
    const op = ops.get(kind);
    for (const format of op ? FORMATS : []) await record(op!, format, sample);
  }
  const [asyncToken, asyncResponse] = [ops.get('ASYNC_TOKEN'), ops.get('ASYNC_RESPONSE')];
  for (const format of asyncToken && asyncResponse ? FORMATS : []) {
    const token = tokenOfAnswer(await record(asyncToken!, format, sample), format);
    await record(asyncResponse!, format, token ?? 'no-token-answered');
  }
  if (remove && created) await record(remove, 'xml', created);
  // A DELETE of what was not created (a runtime's release schedule): the existing one, in both formats.
  for (const format of remove && !created ? FORMATS : []) await record(remove!, format, sample);
  return outcomes;
}

describe('the document and the simulator agree on what is served', () => {
  it('serves at least the objects atomsync and its users need', () => {
    const needed = [
      'Account',
      'AccountGroup',
      'Atom',
      'AtomConnectorVersions',
      'Cloud',
      'Environment',
      'EnvironmentAtomAttachment',
      'EnvironmentRole',
      'IntegrationPackAtomAttachment',
      'PublisherIntegrationPack',
      'Role',
    ];
    expect(needed.filter((object) => !handlers.has(object))).toEqual([]);
    const environment = handlers.get('Environment')!;
    expect(['CREATE', 'UPDATE', 'DELETE'].filter((kind) => !isServed(environment, kind as Kind))).toEqual([]);
  });

  it('lists every object of the document in docs/simulator.md, served exactly where the simulator serves it', () => {
    const rows = new Map<string, string>();
    for (const match of readFileSync(DOCS, 'utf8').matchAll(/^\| `([^`]+)` +\| (served|not served)/gm)) {
      rows.set(match[1] ?? '', match[2] ?? '');
    }
    expect([...documented].filter((object) => !rows.has(object))).toEqual([]);
    const claimedServed = [...rows].filter(([, state]) => state === 'served').map(([object]) => object);
    expect(claimedServed.sort()).toEqual([...documented].filter((object) => handlers.has(object)).sort());
    expect(documentedFigure(/\*\*(\d+) served, \d+ not\*\*/)).toBe(claimedServed.length);
    expect(documentedFigure(/\*\*\d+ served, (\d+) not\*\*/)).toBe(rows.size - claimedServed.length);
  });
});

describe('answers conform to the document, in JSON and in XML', () => {
  it('validates the answer of every served operation of every served object against its schema', async () => {
    const outcomes: Outcome[] = [];
    const objects = [...documented].filter((object) => handlers.has(object)).sort();
    for (const object of objects) outcomes.push(...(await runObject(object, handlers.get(object)!)));
    const failures = outcomes
      .filter((o) => o.problems.length > 0)
      .map((o) => `${o.label}: ${o.problems.join('; ')}`);
    expect(failures).toEqual([]);
    const served = objects.flatMap((object) =>
      documentOperations(object).filter((op) => isServed(handlers.get(object)!, op.kind)),
    );
    // Every served operation answered in both formats (DELETE of a created object: twice, once per create).
    const labels = new Set(outcomes.map((o) => o.label));
    expect(labels.size).toBe(served.length * 2);
    // docs/simulator.md gives the figures this run validates.
    expect({ operations: served.length, answers: outcomes.length }).toEqual({
      operations: documentedFigure(/\*\*(\d+) operations\*\*/),
      answers: documentedFigure(/\*\*(\d+) answers\*\*/),
    });
  });
});

/**
 * A query example naming a property or an operator the object's schema does not allow (the document's
 * GroupingExpression examples use the placeholder `anotherProperty`; DeployedExpiredCertificate's use EQUALS
 * where its schema allows only LESS_THAN_OR_EQUAL) is a bad request: Boomi's 400 with an XML error naming it.
 * Every other example must answer as the document says.
 */
function exampleProblems(object: string, op: DocumentOperation, xml: string, reply: Reply): string[] {
  // Some of the document's examples are not XML (attribute values without quotes): Boomi's 400 naming where.
  const syntax = XMLValidator.validate(xml);
  if (syntax !== true) {
    const where = `line ${syntax.err.line}, column ${syntax.err.col}`;
    if (reply.status === 400 && errorMessage(reply.text)?.includes(where)) return [];
    return [
      `expected 400 naming ${where} of the example that is not XML, got HTTP ${reply.status}: ${reply.text.slice(0, 200)}`,
    ];
  }
  const allowed = allowedQueryProperties(object).map((p) => p.toLowerCase());
  const unknown = queryProperties(xml).filter((p) => !allowed.includes(p.toLowerCase()));
  const operators = allowedQueryOperators(object);
  const refused = queryOperators(xml).filter((o) => !operators.includes(o));
  const wrong = [...unknown, ...refused];
  if (wrong.length === 0) return conformance(op, reply, 'xml');
  const message = reply.status === 400 ? errorMessage(reply.text) : undefined;
  if (wrong.some((name) => message?.includes(`'${name}'`))) return [];
  return [
    `expected 400 naming the property or operator its schema does not allow (${wrong.join(', ')}), got HTTP ${reply.status}: ${reply.text.slice(0, 200)}`,
  ];
}

function errorMessage(xml: string): string | undefined {
  const decoded = fromXml(xml, 'Error');
  return decoded.root === 'error' && typeof decoded.value['message'] === 'string'
    ? decoded.value['message']
    : undefined;
}

describe("the document's XML request examples", () => {
  it('parse and answer as documented, and every one of a served operation is replayed', async () => {
    const failures: string[] = [];
    const objects = [...documented].filter((object) => handlers.has(object)).sort();
    for (const object of objects) {
      const ops = documentOperations(object).filter((op) => isServed(handlers.get(object)!, op.kind));
      for (const op of ops.filter((o) => o.kind === 'QUERY' || o.kind === 'BULK')) {
        for (const [name, xml] of Object.entries(op.xmlExamples)) {
          const sample = op.kind === 'BULK' ? await sampleId(object) : '';
          const body = op.kind === 'BULK' ? xmlWithIds(xml, { id: sample }) : xml;
          const reply = await call(ACCOUNT_OF[object] ?? PROD, 'POST', op.path, 'xml', body);
          replayedXml.add(`${op.method} ${op.path} ${name}`);
          const problems = exampleProblems(object, op, xml, reply);
          if (problems.length > 0) failures.push(`${op.path} example ${name}: ${problems.join('; ')}`);
        }
      }
      // Write examples that are not XML (Role's lacks a ">"): Boomi's 400 naming where.
      for (const op of ops.filter((o) => o.kind === 'CREATE' || o.kind === 'UPDATE')) {
        for (const [name, xml] of Object.entries(op.xmlExamples)) {
          if (XMLValidator.validate(xml) === true) continue;
          const path = op.path.replace('{id}', await sampleId(object));
          const reply = await call(ACCOUNT_OF[object] ?? PROD, 'POST', path, 'xml', xml);
          replayedXml.add(`${op.method} ${op.path} ${name}`);
          const problems = exampleProblems(object, op, xml, reply);
          if (problems.length > 0) failures.push(`${op.path} example ${name}: ${problems.join('; ')}`);
        }
      }
    }
    expect(failures).toEqual([]);
    const withXml = objects.flatMap((object) =>
      documentOperations(object)
        .filter((op) => isServed(handlers.get(object)!, op.kind))
        .flatMap((op) => Object.keys(op.xmlExamples).map((name) => `${op.method} ${op.path} ${name}`)),
    );
    expect(withXml.filter((key) => !replayedXml.has(key))).toEqual([]);
    expect(withXml.length).toBe(documentedFigure(/\*\*(\d+) XML request examples\*\*/));
  });
});

describe('queryMore answers conform to the document, in JSON and in XML', () => {
  it("validates the second page of a query against the object's QueryResponse schema", async () => {
    // 100 results a page: enough environments for a second page.
    for (let i = 0; i < 101; i += 1) {
      await call(PROD, 'POST', '/Environment', 'json', { name: `Paged ${i}`, classification: 'TEST' });
    }
    const problems: string[] = [];
    for (const format of FORMATS) {
      const first = await call(
        PROD,
        'POST',
        '/Environment/query',
        format,
        format === 'json' ? {} : `<bns:QueryConfig ${XML_HEAD}/>`,
      );
      const page =
        format === 'json'
          ? (JSON.parse(first.text) as Record<string, unknown>)
          : fromXml(first.text, 'EnvironmentQueryResponse').value;
      const token = page['queryToken'];
      if (typeof token !== 'string') throw new Error(`no queryToken in the ${format} first page`);
      const response = await fetch(`${platform.url}/api/rest/v1/${PROD}/Environment/queryMore`, {
        method: 'POST',
        headers: { Authorization: AUTH, Accept: `application/${format}`, 'Content-Type': 'text/plain' },
        body: token,
      });
      const reply = { status: response.status, text: await response.text() };
      const op = { schema: 'EnvironmentQueryResponse' } as DocumentOperation;
      problems.push(...conformance(op, reply, format).map((p) => `${format}: ${p}`));
      const second =
        format === 'json'
          ? (JSON.parse(reply.text) as Record<string, unknown>)
          : fromXml(reply.text, 'EnvironmentQueryResponse').value;
      expect((second['result'] as unknown[]).length).toBeGreaterThan(0);
    }
    expect(problems).toEqual([]);
  });
});
