// Tenancy (config `tenancy.namespaces`): which accounts the AtomVersions of a namespace may target. The
// planner leaves AccountNotAllowed to its callers; an AtomVersion that fails this check is never planned
// against the platform, so it costs no platform call and cannot reach another team's account.
import { wantedOf } from '../domain/pin-resolution.js';
import type { DesiredAtomVersion, PinResult, Plan } from '../domain/types.js';
import { RUNTIME_COMPONENT } from '../domain/types.js';
import type { TenancyConfig } from '../config/types.js';

export interface TenancyDenial {
  message: string;
  advice: string;
}

/** Why the doc may not target its account, or undefined when it may (or no tenancy is configured). */
export function checkTenancy(
  doc: DesiredAtomVersion,
  accountId: string,
  tenancy: TenancyConfig | undefined,
  aliases: ReadonlyMap<string, string>,
): TenancyDenial | undefined {
  if (!tenancy) return undefined;
  const allowed = Object.hasOwn(tenancy.namespaces, doc.namespace)
    ? tenancy.namespaces[doc.namespace]
    : undefined;
  if (allowed?.some((entry) => (aliases.get(entry) ?? entry) === accountId)) return undefined;
  const listed =
    allowed && allowed.length > 0 ? `may target only ${allowed.join(', ')}` : 'may target no account';
  return {
    message: `namespace ${doc.namespace} ${listed}; account ${doc.spec.account} is not allowed (tenancy)`,
    advice: `move the AtomVersion to a namespace allowed to target ${doc.spec.account}, or add the account to tenancy.namespaces.${doc.namespace} in the config`,
  };
}

/** A plan in which every pin of the doc is Blocked with AccountNotAllowed. */
export function deniedPlan(
  doc: DesiredAtomVersion,
  accountId: string,
  denial: TenancyDenial,
  now: Date,
): Plan {
  const runtimeName = doc.spec.runtime.name ?? doc.spec.runtime.id ?? '';
  const pins: PinResult[] = outline(doc).map(({ kind, name, wanted }) => ({
    key: doc.key,
    accountId,
    runtimeName,
    kind,
    name,
    wanted,
    outcome: 'Blocked',
    reason: 'AccountNotAllowed',
    message: denial.message,
    advice: denial.advice,
  }));
  return {
    formatVersion: '1',
    generatedAt: now.toISOString(),
    summary: {
      atomVersions: 1,
      pins: pins.length,
      inSync: 0,
      toChange: 0,
      requests: 0,
      waiting: 0,
      manual: 0,
      blocked: pins.length,
      drifted: 0,
    },
    pins,
    drift: [],
    changes: [],
    blocked: pins,
    manual: [],
  };
}

function outline(doc: DesiredAtomVersion): Pick<PinResult, 'kind' | 'name' | 'wanted'>[] {
  const spec = doc.spec;
  const pins: Pick<PinResult, 'kind' | 'name' | 'wanted'>[] = [];
  if (spec.version !== undefined || spec.channel !== undefined)
    pins.push({ kind: 'runtime', name: RUNTIME_COMPONENT, wanted: wantedOf(spec) });
  for (const pin of spec.connectors) pins.push({ kind: 'connector', name: pin.name, wanted: wantedOf(pin) });
  for (const pin of spec.integrationPacks) pins.push({ kind: 'pack', name: pin.name, wanted: wantedOf(pin) });
  return pins;
}
