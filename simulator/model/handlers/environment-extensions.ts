// Environment extensions (Environment Management reads). Extensions override the connections, process
// properties, cross references and maps of deployed processes; the simulated world deploys no processes, so
// each environment's extensions are well-formed and empty, and the summaries of extended fields, map
// extensions and their functions and components list nothing, and a map extension or function read by id
// does not exist.
import type { CallContext, ObjectHandler } from '../port.js';
import type { WorldCore } from '../core.js';
import type { EnvironmentRecord } from '../state.js';
import { noneListed, readOnlyHandler } from './read-only.js';
import { wire } from './wire.js';

/** Every section of EnvironmentExtensions, by field, with the schema and list field of each. */
const SECTIONS: readonly [field: string, schema: string, list: string][] = [
  ['connections', 'Connections', 'connection'],
  ['operations', 'Operations', 'operation'],
  ['properties', 'Properties', 'property'],
  ['sharedCommunications', 'SharedCommunications', 'sharedCommunication'],
  ['tradingPartners', 'TradingPartners', 'tradingPartner'],
  ['crossReferences', 'CrossReferences', 'crossReference'],
  ['PGPCertificates', 'PGPCertificates', 'PGPCertificate'],
  ['processProperties', 'OverrideProcessProperties', 'ProcessProperty'],
];

/** Query-only summaries of what is extended; nothing is, so none lists anything. */
const SUMMARIES: readonly [type: string, properties: readonly string[]][] = [
  ['AtomConnectionFieldExtensionSummary', ['atomId', 'extensionGroupId', 'connectionId', 'fieldId']],
  [
    'EnvironmentConnectionFieldExtensionSummary',
    ['environmentId', 'extensionGroupId', 'connectionId', 'fieldId'],
  ],
  ['EnvironmentMapExtensionsSummary', ['environmentId', 'extensionGroupId']],
  ['EnvironmentMapExtensionUserDefinedFunctionSummary', ['environmentId', 'extensionGroupId']],
  [
    'EnvironmentMapExtensionExternalComponent',
    [
      'ACCOUNT_ID',
      'ENVIRONMENT_MAP_EXTENSION_ID',
      'PACKAGED_COMPONENT_UID',
      'COMPONENT_ID',
      'COMPONENT_VERSION',
      'COMPONENT_NAME',
      'COMPONENT_TYPE',
    ],
  ],
];

export function environmentExtensionHandlers(core: WorldCore): ObjectHandler[] {
  const environments = (ctx: CallContext) =>
    Object.values(core.state.environments).filter((e) => e.accountId === ctx.accountId);
  return [
    readOnlyHandler({
      type: 'EnvironmentExtensions',
      records: environments,
      idOf: (environment) => environment.id,
      toWire: extensionsWire,
      bulk: true,
      queryProperties: ['environmentId', 'extensionGroupId'],
    }),
    ...SUMMARIES.map(([type, queryProperties]) => noneListed(type, queryProperties)),
    // Read by the ids the (empty) summaries above would give: any id asked for does not exist.
    noneListed('EnvironmentMapExtension', undefined, { byId: true, bulk: true }),
    noneListed('EnvironmentMapExtensionUserDefinedFunction', undefined, { byId: true, bulk: true }),
  ];
}

function extensionsWire(environment: EnvironmentRecord) {
  return wire('EnvironmentExtensions', {
    id: environment.id,
    environmentId: environment.id,
    // extensionGroupId names the extensions of a multi-install integration pack; none are extended.
    partial: false,
    ...Object.fromEntries(SECTIONS.map(([field, schema, list]) => [field, wire(schema, { [list]: [] })])),
  });
}
