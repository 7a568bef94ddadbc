// Reading a saved plan (`atomsync plan --out plan.json`) back for `atomsync apply plan.json`. Only what
// apply relies on is checked, each problem naming the file and the field (docs/plan-format.md).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { PackReleaseChange } from '../domain/plan-pack-releases.js';
import type { ObservedRuntime, PlanInputs } from '../domain/saved-plan.js';
import type { ExpectedVersion, PlannedRequest, RequestKind } from '../domain/types.js';
import { PLAN_JSON_FORMAT_VERSION } from '../report/json.js';
import { ATOMSYNC_VERSION } from '../util/atomsync-version.js';
import { CliError } from './errors.js';

export interface SavedPlan {
  file: string;
  atomsyncVersion: string;
  generatedAt: string;
  inputs: PlanInputs;
  observed: ObservedRuntime[];
  changes: PlannedRequest[];
  /** The IntegrationPackReleases apply sends (`releases.changes`; empty when the plan had no release). */
  releases: PackReleaseChange[];
}

const KINDS: readonly RequestKind[] = [
  'AtomVersionUpdateRequest',
  'IntegrationPackPendingUpdateRequest',
  'ReattachPack',
  'RuntimeReleaseSchedule',
  'AtomForceRestartTime',
];

type Json = Record<string, unknown>;

export async function readSavedPlan(file: string): Promise<SavedPlan> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new CliError(`cannot read the saved plan ${file} (${resolve(file)}): ${err.code ?? err.message}`);
  });
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (err) {
    throw invalid(file, `it is not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const root = object(document, file, '(the document)');
  if (root['formatVersion'] !== PLAN_JSON_FORMAT_VERSION) {
    throw invalid(
      file,
      `formatVersion is ${JSON.stringify(root['formatVersion'] ?? null)}, apply reads ${PLAN_JSON_FORMAT_VERSION}; make the plan again with this atomsync`,
    );
  }
  const atomsyncVersion = text_(
    object(root['atomsync'], file, 'atomsync')['version'],
    file,
    'atomsync.version',
  );
  if (atomsyncVersion !== ATOMSYNC_VERSION) {
    throw invalid(
      file,
      `it was made by atomsync ${atomsyncVersion}, this is ${ATOMSYNC_VERSION}; plan again with this version`,
    );
  }
  return {
    file,
    atomsyncVersion,
    generatedAt: text_(root['generatedAt'], file, 'generatedAt'),
    inputs: inputsOf(root['inputs'], file),
    observed: list(root['observed'], file, 'observed') as ObservedRuntime[],
    changes: list(root['changes'], file, 'changes').map((item, index) =>
      requestOf(item, file, `changes[${index}]`),
    ),
    releases: releaseChangesOf(root['releases'], file),
  };
}

function releaseChangesOf(value: unknown, file: string): PackReleaseChange[] {
  if (value === undefined) return [];
  const changes = list(object(value, file, 'releases')['changes'], file, 'releases.changes');
  return changes.map((item, index) => releaseChangeOf(item, file, `releases.changes[${index}]`));
}

function releaseChangeOf(value: unknown, file: string, at: string): PackReleaseChange {
  const item = object(value, file, at);
  const field = (name: string) => text_(item[name], file, `${at}.${name}`);
  const operation = field('operation');
  const releaseSchedule = field('releaseSchedule');
  if (operation !== 'CREATE' && operation !== 'UPDATE')
    throw invalid(file, `${at}.operation must be CREATE or UPDATE`);
  if (releaseSchedule !== 'IMMEDIATELY' && releaseSchedule !== 'RELEASE_ON_SPECIFIED_DATE')
    throw invalid(file, `${at}.releaseSchedule must be IMMEDIATELY or RELEASE_ON_SPECIFIED_DATE`);
  return {
    key: field('key'),
    accountId: field('accountId'),
    integrationPackId: field('integrationPackId'),
    packName: field('packName'),
    operation,
    releaseSchedule,
    ...(item['releaseOnDate'] !== undefined && { releaseOnDate: field('releaseOnDate') }),
    components: list(item['components'], file, `${at}.components`).map((c, i) =>
      packagedComponentOf(c, file, `${at}.components[${i}]`),
    ),
  };
}

function packagedComponentOf(
  value: unknown,
  file: string,
  at: string,
): PackReleaseChange['components'][number] {
  const item = object(value, file, at);
  const optional = (name: 'currentVersion' | 'pendingVersion') =>
    item[name] === undefined ? {} : { [name]: text_(item[name], file, `${at}.${name}`) };
  return {
    componentId: text_(item['componentId'], file, `${at}.componentId`),
    version: text_(item['version'], file, `${at}.version`),
    ...optional('currentVersion'),
    ...optional('pendingVersion'),
  };
}

function inputsOf(value: unknown, file: string): PlanInputs {
  const inputs = object(value, file, 'inputs');
  const config = object(inputs['config'], file, 'inputs.config');
  const pins = list(inputs['pins'], file, 'inputs.pins').map((item, index) => {
    const pin = object(item, file, `inputs.pins[${index}]`);
    return {
      key: text_(pin['key'], file, `inputs.pins[${index}].key`),
      hash: text_(pin['hash'], file, `inputs.pins[${index}].hash`),
      ...(typeof pin['file'] === 'string' && { file: pin['file'] }),
    };
  });
  return {
    hash: text_(inputs['hash'], file, 'inputs.hash'),
    config: {
      file: text_(config['file'], file, 'inputs.config.file'),
      hash: text_(config['hash'], file, 'inputs.config.hash'),
    },
    pins,
    target: list(inputs['target'], file, 'inputs.target').map((t, i) =>
      text_(t, file, `inputs.target[${i}]`),
    ),
    ...(typeof inputs['revision'] === 'string' && { revision: inputs['revision'] }),
  };
}

function requestOf(value: unknown, file: string, at: string): PlannedRequest {
  const item = object(value, file, at);
  const kind = item['kind'];
  if (!KINDS.includes(kind as RequestKind))
    throw invalid(file, `${at}.kind must be one of ${KINDS.join(', ')}`);
  const wave = item['wave'];
  if (typeof wave !== 'number' || !Number.isInteger(wave) || wave < 1)
    throw invalid(file, `${at}.wave must be a whole number from 1`);
  const strings = (field: string) =>
    list(item[field], file, `${at}.${field}`).map((v, i) => text_(v, file, `${at}.${field}[${i}]`));
  const request: PlannedRequest = {
    accountId: text_(item['accountId'], file, `${at}.accountId`),
    runtimeId: text_(item['runtimeId'], file, `${at}.runtimeId`),
    runtimeName: text_(item['runtimeName'], file, `${at}.runtimeName`),
    kind: kind as RequestKind,
    components: strings('components'),
    wave,
    keys: strings('keys'),
  };
  if (item['expected'] !== undefined)
    request.expected = expectationsOf(item['expected'], file, `${at}.expected`);
  // The rest (classification, action, packs, environmentId, settings) is copied as planned.
  for (const field of [
    'classification',
    'action',
    'packs',
    'environmentId',
    'releaseSchedule',
    'create',
    'forceRestartTime',
  ] as const) {
    if (item[field] !== undefined) (request as unknown as Json)[field] = item[field];
  }
  return request;
}

function expectationsOf(value: unknown, file: string, at: string): ExpectedVersion[] {
  return list(value, file, at).map((e, i) => {
    const where = `${at}[${i}]`;
    const entry = object(e, file, where);
    return {
      name: text_(entry['name'], file, `${where}.name`),
      current: text_(entry['current'], file, `${where}.current`),
      target: text_(entry['target'], file, `${where}.target`),
      ...(typeof entry['integrationPackInstanceId'] === 'string' && {
        integrationPackInstanceId: entry['integrationPackInstanceId'],
      }),
    };
  });
}

function object(value: unknown, file: string, at: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(file, `${at} must be an object`);
  return value as Json;
}

function list(value: unknown, file: string, at: string): unknown[] {
  if (!Array.isArray(value)) throw invalid(file, `${at} must be a list`);
  return value;
}

function text_(value: unknown, file: string, at: string): string {
  if (typeof value !== 'string' || value === '') throw invalid(file, `${at} must be a non-empty string`);
  return value;
}

function invalid(file: string, why: string): CliError {
  return new CliError(
    `${file} is not a plan atomsync can apply: ${why}. Make one with: atomsync plan --out ${file}`,
  );
}
