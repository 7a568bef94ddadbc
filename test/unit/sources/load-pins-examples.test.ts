import { describe, expect, it } from 'vitest';
import { loadPins } from '../../../controller/sources/load-pins.js';

describe('the example pins (examples/pins)', () => {
  it('load with zero problems', async () => {
    const { problems } = await loadPins('examples/pins');
    expect(problems).toEqual([]);
  });

  it('pin the demo world runtimes, each once, in namespace integration', async () => {
    const { desired } = await loadPins('examples/pins');
    expect(desired.map((d) => [d.key, d.spec.account, d.spec.runtime.name])).toEqual([
      ['integration/dev-atom', 'acme-dev', 'Dev Atom'],
      ['integration/qa-molecule', 'acme-dev', 'QA Molecule'],
      ['integration/eu-atom', 'acme-eu', 'EU Atom'],
      ['integration/prod-east-molecule', 'acme-prod', 'Prod East Molecule'],
      ['integration/prod-west-atom', 'acme-prod', 'Prod West Atom'],
      ['integration/staging-atom', 'acme-prod', 'Staging Atom'],
      ['integration/acme-private-cloud', 'acme-prod', 'Acme Private Cloud'],
      ['integration/public-cloud-us-east', 'acme-prod', 'Public Cloud US East'],
    ]);
  });

  it('ask for the changes the demo expects (and the pins the platform will block)', async () => {
    const { desired } = await loadPins('examples/pins');
    const spec = (name: string) => desired.find((d) => d.name === name)?.spec;
    expect(spec('eu-atom')).toMatchObject({ channel: 'pending' });
    expect(spec('prod-west-atom')?.integrationPacks).toEqual([
      { name: 'Salesforce to NetSuite', version: 8 },
    ]);
    expect(spec('public-cloud-us-east')).toMatchObject({ version: '26.12.0' });
    expect(spec('prod-east-molecule')).toMatchObject({
      version: '26.12.0',
      connectors: [{ name: 'HTTP Client', version: '26.12.0' }],
    });
    expect(spec('staging-atom')).toMatchObject({
      version: '26.12.0',
      connectors: [
        { name: 'HTTP Client', version: '26.12.0' },
        { name: 'Salesforce', version: '26.11.1' },
      ],
    });
    expect(spec('dev-atom')).toMatchObject({
      version: '26.11.0',
      connectors: [{ name: 'HTTP Client', version: '26.11.0' }],
      integrationPacks: [{ name: 'Salesforce to NetSuite', version: 4 }],
    });
    expect(spec('qa-molecule')).toMatchObject({
      version: '26.12.0',
      connectors: [{ name: 'Database', channel: 'pending' }],
    });
    expect(spec('acme-private-cloud')).toMatchObject({
      channel: 'released',
      connectors: [],
      integrationPacks: [],
    });
  });
});
