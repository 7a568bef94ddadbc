// Plain-text phrases shared by the text and Markdown reports, so both say the same thing the same way.

import { durationText, scheduleText } from '../domain/plan-settings.js';
import type { PinResult, PlannedRequest } from '../domain/types.js';

/** `needs ATOM_MANAGEMENT at apply time`. */
export function privilegeNote(privilege: string): string {
  return `needs ${privilege} at apply time`;
}

/** `Atom` for the runtime itself, `connector HTTP Client`, `pack Salesforce to NetSuite`. */
export function pinLabel(pin: Pick<PinResult, 'kind' | 'name'>): string {
  return pin.kind === 'connector' || pin.kind === 'pack' ? `${pin.kind} ${pin.name}` : pin.name;
}

/** `acme-prod-D4E5F6 / Prod East Molecule / connector HTTP Client`. */
export function pinPath(pin: PinResult, accountName: (accountId: string) => string): string {
  return `${accountName(pin.accountId)} / ${pin.runtimeName} / ${pinLabel(pin)}`;
}

export function currentText(pin: PinResult): string {
  return pin.current ?? '-';
}

/** The version the pin resolves to, or what it asks for when it does not resolve. */
export function targetText(pin: PinResult): string {
  return pin.target ?? pin.wanted;
}

/** `26.11.0 → 26.12.0`, or just `26.11.0` when nothing moves. */
export function versionMove(pin: PinResult): string {
  const current = currentText(pin);
  const target = targetText(pin);
  return pin.outcome === 'InSync' || current === target ? current : `${current} → ${target}`;
}

/** Why a pin is not simply changing: the blocked reason or the outstanding request. */
export function reasonText(pin: PinResult): string {
  if (pin.reason !== undefined) return pin.reason;
  if (pin.outcome === 'Waiting' && pin.requestId !== undefined) return `request ${pin.requestId}`;
  return '';
}

/** `roll back Atom 26.12.0 → 26.11.0, HTTP Client 26.12.0 → 26.11.0`. */
export function describeRequest(request: PlannedRequest, pins: readonly PinResult[]): string {
  switch (request.kind) {
    case 'AtomVersionUpdateRequest': {
      const verb = request.action === 'ROLLBACK' ? 'roll back' : 'apply pending';
      return `${verb} ${componentMoves(request, pins)}`;
    }
    case 'IntegrationPackPendingUpdateRequest':
      return `apply pending pack updates ${packMoves(request)}`;
    case 'ReattachPack': {
      const where = request.environmentId ? ` (detach from and reattach to ${request.environmentId})` : '';
      return `reattach pack ${packMoves(request)}${where}`;
    }
    case 'RuntimeReleaseSchedule':
      return `${request.create ? 'create' : 'set'} release schedule ${scheduleText(request.releaseSchedule)}`;
    case 'AtomForceRestartTime':
      return `set force-restart time ${durationText(request.forceRestartTime ?? 0)} (${request.forceRestartTime ?? 0} ms)`;
  }
}

export function requestTarget(request: PlannedRequest, accountName: (accountId: string) => string): string {
  const classification = request.classification ? ` [${request.classification}]` : '';
  return `${accountName(request.accountId)} / ${request.runtimeName}${classification}`;
}

function componentMoves(request: PlannedRequest, pins: readonly PinResult[]): string {
  return request.components
    .map((component) => {
      const pin = pins.find(
        (candidate) =>
          candidate.runtimeId === request.runtimeId &&
          candidate.kind !== 'pack' &&
          candidate.name === component,
      );
      return pin && pin.current !== undefined ? `${component} ${versionMove(pin)}` : component;
    })
    .join(', ');
}

function packMoves(request: PlannedRequest): string {
  if (!request.packs || request.packs.length === 0) return request.components.join(', ');
  return request.packs.map((pack) => `${pack.name} ${pack.fromVersion} → ${pack.toVersion}`).join(', ');
}
