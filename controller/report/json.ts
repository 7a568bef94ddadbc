// The machine-readable plan. Keys come out in a fixed order (known fields first, in the order below,
// then any others alphabetically) so diffs of plan files stay small. Like Terraform's plan JSON, drift
// (live state that differs from the pins) is kept apart from changes (the requests apply will send).

// The format is documented in docs/plan-format.md and docs/plan.schema.json (JSON Schema).
import type { Diagnostic, ObservedRuntime, PlanInputs } from '../domain/saved-plan.js';
import type { DriftItem, PinResult, Plan, PlannedRequest, PlanSummary } from '../domain/types.js';
import { ATOMSYNC_VERSION } from '../util/atomsync-version.js';
import { requestsInWaveOrder } from './plan-layout.js';

/**
 * Bumped when a field changes meaning or disappears; new optional fields do not bump it. 2: generatedAt
 * is the wall time (the platform's time moved to platformTime); atomsync, inputs, observed, diagnostics.
 */
export const PLAN_JSON_FORMAT_VERSION = '2';

/** Where a plan comes from, written next to it so `apply plan.json` can tell whether it is stale. */
export interface PlanProvenance {
  /** Wall time when atomsync made the plan. Default: the plan's (platform) time. */
  generatedAt?: string;
  inputs?: PlanInputs;
  observed?: ObservedRuntime[];
  diagnostics?: Diagnostic[];
}

const PLAN_KEYS = [
  'formatVersion',
  'atomsync',
  'generatedAt',
  'platformTime',
  'inputs',
  'summary',
  'drift',
  'changes',
  'pins',
  'blocked',
  'manual',
  'diagnostics',
  'observed',
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

export function renderJson(plan: Plan, provenance: PlanProvenance = {}): string {
  const document = ordered(
    {
      ...plan,
      formatVersion: PLAN_JSON_FORMAT_VERSION,
      atomsync: { version: ATOMSYNC_VERSION },
      generatedAt: provenance.generatedAt ?? plan.generatedAt,
      platformTime: plan.generatedAt,
      inputs: provenance.inputs,
      diagnostics: provenance.diagnostics ?? [],
      observed: provenance.observed,
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
