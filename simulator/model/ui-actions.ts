// A person clicking in the platform's UI (Manage > Atom Management > Atom & Connector Versions): apply the
// pending versions or roll back. The runtime then behaves as for an API request (R5 inactivity, restart),
// but the AuditLog records what the UI records — Boomi's own names, source UI, the person's user id:
// as.atom UPDATE / ROLLBACK for the runtime, as.connector UPDATE / ROLLBACK for a connector.
import { ATOM_MANAGEMENT } from './access.js';
import type { WorldCore } from './core.js';
import { SimError } from './port.js';
import { RUNTIME_COMPONENT } from './runtime-versions.js';
import type { VersionRequestRecord } from './state.js';
import { createVersionRequest } from './version-requests.js';

export interface UiVersionAction {
  accountId: string;
  atomId: string;
  action: 'APPLY_PENDING' | 'ROLLBACK';
  components: string[];
  /** The person (email address) the AuditLog names. */
  userId: string;
}

export function clickVersionAction(core: WorldCore, click: UiVersionAction): VersionRequestRecord {
  const ctx = { accountId: click.accountId, userId: click.userId, privileges: new Set([ATOM_MANAGEMENT]) };
  const auditBefore = core.state.auditLog.length;
  const request = createVersionRequest(core, ctx, {
    atomId: click.atomId,
    action: click.action,
    components: click.components,
  });
  // The request machinery logs an API request; the UI logs one entry per component instead.
  core.state.auditLog.splice(auditBefore);
  for (const target of request.targets) {
    const runtime = target.name === RUNTIME_COMPONENT;
    core.audit({
      accountId: click.accountId,
      userId: click.userId,
      type: runtime ? 'as.atom' : 'as.connector',
      action: click.action === 'APPLY_PENDING' ? 'UPDATE' : 'ROLLBACK',
      source: 'UI',
      containerId: click.atomId,
      message: `${runtime ? 'Atom' : `Connector ${target.name}`} ${target.fromVersion} → ${target.toVersion} ${click.action === 'APPLY_PENDING' ? 'updated' : 'rolled back'} in the UI.`,
      properties: [{ name: target.name, previousValue: target.fromVersion, value: target.toVersion }],
    });
  }
  return request;
}

export function parseUiVersionAction(body: Record<string, unknown>): UiVersionAction {
  const text = (name: string): string => {
    const value = body[name];
    if (typeof value !== 'string' || value === '') throw new SimError(400, `${name} is required (a string).`);
    return value;
  };
  const action = body['action'];
  if (action !== 'APPLY_PENDING' && action !== 'ROLLBACK')
    throw new SimError(400, 'action must be APPLY_PENDING or ROLLBACK.');
  const components = body['components'];
  if (!Array.isArray(components) || !components.every((c) => typeof c === 'string'))
    throw new SimError(400, 'components must be a list of component names (`Atom` for the runtime).');
  return { accountId: text('accountId'), atomId: text('atomId'), action, components, userId: text('userId') };
}
