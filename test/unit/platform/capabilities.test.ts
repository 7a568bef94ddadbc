import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROBE_ATOM_ID, probeCapabilities } from '../../../controller/platform/capabilities.js';
import { NotFoundError, RateLimitedError } from '../../../controller/platform/errors.js';
import { FakePlatform } from './fake-platform.js';
import { fakeClock, testClient } from './test-client.js';

let fake: FakePlatform;

beforeEach(async () => {
  fake = await FakePlatform.start();
});

afterEach(async () => {
  await fake.close();
});

describe('probeCapabilities', () => {
  it('finds both actions on a platform that has the extension objects', async () => {
    fake.put('AtomVersionUpdateRequest');
    fake.put('IntegrationPackVersions');
    const client = testClient(fake, fakeClock());

    expect(await probeCapabilities(client, 'atom-1')).toEqual({ versionActions: true, packActions: true });
    const [query] = fake.requestsTo('AtomVersionUpdateRequest');
    expect(query?.rest).toBe('query');
    expect(JSON.parse(query?.body ?? '')).toEqual({
      QueryFilter: { expression: { property: 'atomId', operator: 'EQUALS', argument: ['atom-1'] } },
    });
    expect(fake.requestsTo('IntegrationPackVersions').map((r) => r.rest)).toEqual(['bulk']);
  });

  it('finds neither on a platform that answers 404 for the objects (Boomi without extensions)', async () => {
    const client = testClient(fake, fakeClock());

    expect(await probeCapabilities(client)).toEqual({ versionActions: false, packActions: false });
  });

  it('counts a 404 that names the probed id as the object being there', async () => {
    fake.put('AtomVersionUpdateRequest');
    fake.put('IntegrationPackVersions');
    fake.inject(
      { kind: 'status', status: 404, message: `Runtime ${PROBE_ATOM_ID} not found` },
      { match: (r) => r.object === 'IntegrationPackVersions' },
    );
    fake.inject(
      { kind: 'status', status: 410, message: 'Endpoint is invalid or no longer exists.' },
      {
        match: (r) => r.object === 'AtomVersionUpdateRequest',
      },
    );
    const client = testClient(fake, fakeClock());

    expect(await probeCapabilities(client)).toEqual({ versionActions: false, packActions: true });
  });

  it('throws when the account itself does not exist', async () => {
    fake.inject(
      { kind: 'status', status: 404, message: 'Account acme-prod-D4E5F6 does not exist.' },
      { times: 2 },
    );
    const client = testClient(fake, fakeClock());

    await expect(probeCapabilities(client)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('asks the platform once per client', async () => {
    fake.put('IntegrationPackVersions');
    const client = testClient(fake, fakeClock());

    const first = await probeCapabilities(client);
    const second = await probeCapabilities(client);

    expect(second).toEqual(first);
    expect(fake.requests).toHaveLength(2);
  });

  it('throws when the platform cannot be asked, and asks again next time', async () => {
    fake.put('AtomVersionUpdateRequest');
    fake.inject({ kind: 'status', status: 503 }, { times: 2 });
    const client = testClient(fake, fakeClock(), { maxRetries: 0 });

    await expect(probeCapabilities(client)).rejects.toBeInstanceOf(RateLimitedError);
    expect(await probeCapabilities(client)).toEqual({ versionActions: true, packActions: false });
  });
});
