// Issue 13, "XML does not exist: Accept: application/xml (and Accept: */*) answer JSON; an XML request
// body (<QueryConfig xmlns="http://api.platform.boomi.com/">…) is 400 'not valid JSON'." A client that
// talks XML as Boomi's shell scripts and SDKs do: it sends the document's own XML examples verbatim and
// reads the answers with a plain XML parser, not with the simulator's code.
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI } from '../../../simulator/openapi/wire-schemas.js';
import { DEMO_ADMIN, PROD } from './support/demo-world.js';
import { Simulators, type Platform } from './support/simulators.js';

const NS = 'http://api.platform.boomi.com/';
const AUTH = `Basic ${Buffer.from(`BOOMI_TOKEN.${DEMO_ADMIN.userId}:${DEMO_ADMIN.token}`).toString('base64')}`;
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseAttributeValue: false,
});

const simulators = new Simulators();
let platform: Platform;

beforeAll(async () => {
  platform = await simulators.demo();
});
afterAll(() => simulators.closeAll());

interface Reply {
  status: number;
  type: string;
  text: string;
}

async function send(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Reply> {
  const response = await fetch(`${platform.url}/api/rest/v1/${PROD}/${path}`, {
    method,
    headers: { Authorization: AUTH, ...headers },
    ...(body !== undefined && { body }),
  });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
}

/** The XML example of the document for a request body (a string, or the first of several). */
function xmlRequestExample(path: string, name?: string): string {
  const media = OPENAPI.paths[path]?.['post']?.requestBody?.content?.['application/xml'];
  const example = name
    ? media?.examples?.[name]?.value
    : (media?.example ?? Object.values(media?.examples ?? {})[0]?.value);
  if (typeof example !== 'string') throw new Error(`the document has no XML example for POST ${path}`);
  return example;
}

function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

describe('content negotiation', () => {
  it.each([
    ['application/xml', 'xml'],
    ['*/*', 'xml'],
    ['', 'xml'],
    ['application/json', 'json'],
    ['application/xml;q=0.5, application/json', 'json'],
  ])('Accept "%s" answers %s', async (accept, expected) => {
    const reply = await send('POST', 'Environment/query', accept ? { Accept: accept } : {});
    expect(reply.status).toBe(200);
    expect(reply.type).toContain(`application/${expected}`);
    expect(reply.text.trimStart().startsWith(expected === 'xml' ? '<' : '{')).toBe(true);
  });
});

describe('a client that talks XML', () => {
  it('sends the document’s Atom QUERY example as XML and reads a QueryResult in Boomi’s namespace', async () => {
    const body = xmlRequestExample('/Atom/query', 'SimpleExpression');
    expect(body).toContain('<QueryConfig xmlns="http://api.platform.boomi.com/">');
    const reply = await send('POST', 'Atom/query', { 'Content-Type': 'application/xml' }, body);
    expect(reply.status, reply.text).toBe(200);
    const root = parser.parse(reply.text)['bns:QueryResult'];
    expect(root['@xmlns:bns']).toBe(NS);
    const results = asArray(root['bns:result']);
    expect(Number(root['@numberOfResults'])).toBe(results.length);
    expect(results.length).toBeGreaterThan(0);
    for (const atom of results) {
      expect(atom['@xsi:type']).toBe('Atom');
      expect(atom['@status']).toBe('ONLINE');
      expect(atom['@type']).toBe('ATOM');
      expect(atom['@id']).toEqual(expect.any(String));
    }
  });

  it('answers the document’s Environment QUERY example (SimpleExpression on classification)', async () => {
    const body = xmlRequestExample('/Environment/query', 'SimpleExpression');
    const reply = await send('POST', 'Environment/query', { 'Content-Type': 'application/xml' }, body);
    expect(reply.status, reply.text).toBe(200);
    const results = asArray(parser.parse(reply.text)['bns:QueryResult']['bns:result']);
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((env) => env['@classification'] === 'PROD')).toBe(true);
  });

  it('reads an Atom with GET, fields as attributes and nodes as child elements', async () => {
    const atoms = asArray(
      parser.parse((await send('POST', 'Atom/query', { Accept: 'application/xml' })).text)['bns:QueryResult'][
        'bns:result'
      ],
    );
    const molecule = atoms.find((atom) => atom['@type'] === 'MOLECULE');
    const reply = await send('GET', `Atom/${molecule['@id']}`, { Accept: 'application/xml' });
    const atom = parser.parse(reply.text)['bns:Atom'];
    expect(atom['@name']).toBe(molecule['@name']);
    expect(atom['@currentVersion']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(asArray(atom['bns:cluster']['bns:node']).length).toBeGreaterThan(1);
  });

  it('creates, renames, reads and deletes an Environment in XML only, as a shell script would', async () => {
    const xml = { Accept: 'application/xml', 'Content-Type': 'application/xml' };
    const created = await send('POST', 'Environment', xml, xmlRequestExample('/Environment'));
    expect(created.status).toBe(200);
    const environment = parser.parse(created.text)['bns:Environment'];
    expect(environment).toMatchObject({ '@name': 'My Production Environment', '@classification': 'PROD' });
    const id = String(environment['@id']);
    const rename = xmlRequestExample('/Environment/{id}').replace(/id="[^"]*"/, `id="${id}"`);
    expect((await send('POST', `Environment/${id}/update`, xml, rename)).status).toBe(200);
    const readReply = await send('GET', `Environment/${id}`, xml);
    const read = parser.parse(readReply.text)['bns:Environment'];
    expect(read).toMatchObject({ '@id': id, '@name': 'Our Production Environment', '@xmlns:bns': NS });
    expect((await send('GET', `Environment/${id}?method=DELETE`, xml)).status).toBe(200);
    const gone = await send('GET', `Environment/${id}`, xml);
    expect(gone.status).toBe(404);
    expect(parser.parse(gone.text)['error']['message']).toContain(id);
  });

  it('writes dates to the second and users as e-mails, as Boomi does', async () => {
    const reply = await send('POST', 'Atom/query', { Accept: 'application/xml' });
    const atoms = asArray(parser.parse(reply.text)['bns:QueryResult']['bns:result']);
    for (const atom of atoms) {
      expect(atom['@dateInstalled']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(atom['@createdBy']).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
    }
  });

  it('takes a BulkRequest in XML and answers a BulkResult with one response per id', async () => {
    const atoms = asArray(
      parser.parse((await send('POST', 'Atom/query')).text)['bns:QueryResult']['bns:result'],
    );
    const id = atoms[0]['@id'];
    const body = `<bns:BulkRequest xmlns:bns="${NS}" type="GET"><bns:request id="${id}"/><bns:request id="nope"/></bns:BulkRequest>`;
    const reply = await send('POST', 'Atom/bulk', { 'Content-Type': 'application/xml' }, body);
    expect(reply.status, reply.text).toBe(200);
    const responses = asArray(parser.parse(reply.text)['bns:BulkResult']['bns:response']);
    expect(responses.map((r) => r['@statusCode'])).toEqual(['200', '400']);
    expect(responses[0]['bns:Result']['@id']).toBe(id);
  });

  it('answers errors as <error><message>, and a malformed body says where XML breaks', async () => {
    const missing = await send('GET', 'Atom/no-such-atom', { Accept: 'application/xml' });
    expect(missing.status).toBe(404);
    expect(parser.parse(missing.text).error.message).toContain('no-such-atom');
    const broken = await send(
      'POST',
      'Atom/query',
      { 'Content-Type': 'application/xml' },
      '<QueryConfig><QueryFilter>',
    );
    expect(broken.status).toBe(400);
    expect(parser.parse(broken.text).error.message).toMatch(/not well-formed XML/);
  });

  it('refuses an XML body whose root is not the object the path names', async () => {
    const reply = await send(
      'POST',
      'Atom/query',
      { 'Content-Type': 'application/xml' },
      `<Environment xmlns="${NS}"/>`,
    );
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('QueryConfig');
  });
});
