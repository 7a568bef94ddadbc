// The machine-readable plan. Keys come out in a fixed order (known fields first, in the order below,
// then any others alphabetically) so diffs of plan files stay small. Like Terraform's plan JSON, drift
// (live state that differs from the pins) is kept apart from changes (the requests apply will send).

import type { DriftItem, PinResult, Plan, PlannedRequest, PlanSummary } from '../domain/types.js';
import { requestsInWaveOrder } from './plan-layout.js';

/** Bumped when a field changes meaning or disappears; new optional fields do not bump it. */
export const PLAN_JSON_FORMAT_VERSION = '1';

const PLAN_KEYS = [
  'formatVersion',
  'generatedAt',
  'summary',
  'drift',
  'changes',
  'pins',
  'blocked',
  'manual',
];
const SUMMARY_KEYS: (keyof PlanSummary)[] = [
  'atomVersions',
  'pins',
  'inSync',
  'toChange',
  'requests',
  'waiting',
  'manual',
  'blocked',
  'drifted',
];
const DRIFT_KEYS: (keyof DriftItem)[] = [
  'key',
  'accountId',
  'runtimeName',
  'kind',
  'name',
  'wanted',
  'actual',
  'outcome',
  'reason',
];
const REQUEST_KEYS: (keyof PlannedRequest)[] = [
  'wave',
  'accountId',
  'runtimeId',
  'runtimeName',
  'classification',
  'kind',
  'action',
  'components',
  'packs',
  'environmentId',
  'expected',
  'keys',
];
const PACK_MOVE_KEYS = ['integrationPackInstanceId', 'name', 'fromVersion', 'toVersion'];
const EXPECTED_KEYS = ['name', 'integrationPackInstanceId', 'current', 'target'];
const PIN_KEYS: (keyof PinResult)[] = [
  'key',
  'accountId',
  'runtimeId',
  'runtimeName',
  'kind',
  'name',
  'wanted',
  'current',
  'target',
  'outcome',
  'reason',
  'message',
  'advice',
  'needsPrivilege',
  'requestId',
  'manualSteps',
];

export function renderJson(plan: Plan): string {
  const document = ordered(
    {
      ...plan,
      formatVersion: PLAN_JSON_FORMAT_VERSION,
      summary: ordered(plan.summary, SUMMARY_KEYS),
      drift: plan.drift.map((item) => ordered(item, DRIFT_KEYS)),
      changes: requestsInWaveOrder(plan.changes).map(orderedRequest),
      pins: plan.pins.map(orderedPin),
      blocked: plan.blocked.map(orderedPin),
      manual: plan.manual.map(orderedPin),
    },
    PLAN_KEYS,
  );
  return `${JSON.stringify(document, null, 2)}\n`;
}

function orderedRequest(request: PlannedRequest): Record<string, unknown> {
  const packs = request.packs?.map((pack) => ordered(pack, PACK_MOVE_KEYS));
  const expected = request.expected?.map((item) => ordered(item, EXPECTED_KEYS));
  return ordered({ ...request, packs, expected }, REQUEST_KEYS);
}

function orderedPin(pin: PinResult): Record<string, unknown> {
  return ordered(pin, PIN_KEYS);
}

/** Copies `value` with `keys` first (in that order), then the rest sorted; undefined values dropped. */
function ordered(value: object, keys: readonly string[]): Record<string, unknown> {
  const source = value as Record<string, unknown>;
  const rest = Object.keys(source)
    .filter((key) => !keys.includes(key))
    .sort();
  const result: Record<string, unknown> = {};
  for (const key of [...keys, ...rest]) {
    if (source[key] !== undefined) result[key] = source[key];
  }
  return result;
}
