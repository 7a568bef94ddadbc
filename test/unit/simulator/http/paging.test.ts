import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHILD, FakeModel, PARENT } from './fake-model.js';
import { api, call, startTestServer, type TestServer } from './sim-http.js';

const GONE = { '@type': 'Error', message: 'Endpoint is invalid or no longer exists.' };
const TEN_MINUTES = 10 * 60 * 1000;

describe('query paging with queryMore', () => {
  let model: FakeModel;
  let sim: TestServer;
  let now: number;
  beforeEach(async () => {
    model = new FakeModel({ widgetCount: 250 });
    now = 1_000_000;
    sim = await startTestServer(model, { nowMs: () => now });
  });
  afterEach(() => sim.close());

  const firstPage = () => call(sim.base, 'POST', api(CHILD, 'Widget/query'), { json: { QueryFilter: {} } });
  const more = (token: string, account = CHILD, object = 'Widget') =>
    call(sim.base, 'POST', api(account, `${object}/queryMore`), { text: token });

  it('serves 250 results as pages of 100, 100 and 50 with numberOfResults = 250', async () => {
    const page1 = await firstPage();
    expect(page1.body).toMatchObject({ '@type': 'QueryResult', numberOfResults: 250 });
    expect(page1.body.result).toHaveLength(100);
    expect(typeof page1.body.queryToken).toBe('string');

    const page2 = await more(page1.body.queryToken);
    expect(page2.status).toBe(200);
    expect(page2.body.numberOfResults).toBe(250);
    expect(page2.body.result).toHaveLength(100);

    const page3 = await more(page2.body.queryToken);
    expect(page3.body.result).toHaveLength(50);
    expect(page3.body).not.toHaveProperty('queryToken');

    const seen = [page1, page2, page3].flatMap((p) => p.body.result.map((w: { id: string }) => w.id));
    expect(new Set(seen).size).toBe(250);
    expect(seen[0]).toBe('w-000');
    expect(seen[249]).toBe('w-249');
  });

  it('answers 410 when a token is used a second time', async () => {
    const page1 = await firstPage();
    expect((await more(page1.body.queryToken)).status).toBe(200);
    const again = await more(page1.body.queryToken);
    expect(again.status).toBe(410);
    expect(again.body).toEqual(GONE);
  });

  it('answers 410 once a token is older than 10 minutes', async () => {
    const page1 = await firstPage();
    now += TEN_MINUTES;
    const late = await more(page1.body.queryToken);
    expect(late.status).toBe(410);
    expect(late.body).toEqual(GONE);
  });

  it('still honours a token just before it expires', async () => {
    const page1 = await firstPage();
    now += TEN_MINUTES - 1;
    expect((await more(page1.body.queryToken)).status).toBe(200);
  });

  it('answers 410 for a token of another object or another account, and for a made-up token', async () => {
    const page1 = await firstPage();
    expect((await more(page1.body.queryToken, CHILD, 'Atom')).status).toBe(410);
    expect((await more(page1.body.queryToken, PARENT)).status).toBe(410);
    expect((await more('made-up-token')).status).toBe(410);
  });

  it('pages a stable snapshot even when objects change between pages', async () => {
    const page1 = await firstPage();
    model.widgets.get(CHILD)?.splice(150, 50);
    const page2 = await more(page1.body.queryToken);
    expect(page2.body.numberOfResults).toBe(250);
    expect(page2.body.result.at(-1).id).toBe('w-199');
  });

  it('pages a stable snapshot even when an object on a later page is changed in place', async () => {
    const page1 = await firstPage();
    const widget = model.widgets.get(CHILD)?.[150];
    if (widget) widget['name'] = 'Renamed after the query';
    const page2 = await more(page1.body.queryToken);
    expect(page2.body.result[50]).toMatchObject({ id: 'w-150', name: 'Even widget 150' });
  });

  it('answers every page as compact JSON with its fields in the documented order', async () => {
    const page1 = await firstPage();
    const page3 = await more((await more(page1.body.queryToken)).body.queryToken);
    for (const page of [page1, page3]) {
      expect(page.raw).toBe(JSON.stringify(page.body));
      expect(Object.keys(page.body)).toEqual(
        page === page1
          ? ['@type', 'numberOfResults', 'result', 'queryToken']
          : ['@type', 'numberOfResults', 'result'],
      );
    }
    const none = await call(sim.base, 'POST', api(CHILD, 'Widget/query'), {
      json: { QueryFilter: { expression: { property: 'name', operator: 'EQUALS', argument: ['none'] } } },
    });
    expect(none.raw).toBe('{"@type":"QueryResult","numberOfResults":0,"result":[]}');
  });

  it('answers 400 for queryMore without a token', async () => {
    const res = await more('');
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('queryToken');
  });
});
