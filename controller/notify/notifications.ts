// What atomsync tells people, derived from a plan without I/O. Manual, Drifted and Blocked are states of
// a pin: they are tracked, and a message goes out only when one opens, changes or ends — never per resync.
// RequestFailed and Applied are one-off events, sent once per platform request.

import { createHash } from 'node:crypto';
import type { NotifyEventKind } from '../config/types.js';
import type { PinKind, PinResult, Plan } from '../domain/types.js';

export type { NotifyEventKind } from '../config/types.js';

export type Change = 'opened' | 'updated' | 'resolved';

export interface Subject {
  /** The AtomVersion (`namespace/name`). */
  key: string;
  accountId: string;
  runtimeId?: string;
  runtimeName: string;
  kind?: PinKind;
  /** Component or pack name (`Atom` for the runtime). */
  name?: string;
}

/** What a message says about its pin or request. */
interface Told {
  subject: Subject;
  title: string;
  text: string;
  /** Manual: the UI steps that make the change by hand. */
  steps?: string[];
  wanted?: string;
  current?: string;
  target?: string;
  reason?: string;
  /** The AuditLog entry behind the version the runtime runs (who changed it, how, when). */
  changedBy?: string;
}

/** A pin in a state people should hear about (Manual, Drifted or Blocked). */
export interface TrackedItem extends Told {
  itemId: string;
  event: Extract<NotifyEventKind, 'Manual' | 'Drifted' | 'Blocked'>;
  /** Changes only when what a person must know changes (not the time in a message). */
  fingerprint: string;
}

/** A manual task as a GitHub issue lists it. */
export interface TaskSummary {
  title: string;
  steps: string[];
  /** Who made the runtime run what it runs (the AuditLog entry). */
  changedBy?: string;
}

export interface Notification extends Told {
  /** Delivery id: stable for one change of one item, so a receiver can drop repeats. */
  id: string;
  event: NotifyEventKind;
  change: Change;
  requestId?: string;
  /** Manual: the runtime's open tasks after this change (one GitHub issue per runtime shows them all). */
  openTasks?: TaskSummary[];
  /** ISO-8601. */
  at: string;
}

/** The pins of `plan` that are Manual, Blocked or drifted, as tracked items. */
export function trackedItems(plan: Plan): TrackedItem[] {
  const items: TrackedItem[] = [];
  for (const pin of plan.pins) {
    if (pin.outcome === 'Manual') items.push(manualItem(pin));
    if (pin.outcome === 'Blocked') items.push(blockedItem(pin));
  }
  for (const drift of plan.drift) {
    const subject = { ...subjectOf(plan.pins, drift), kind: drift.kind, name: drift.name };
    const changedBy = plan.pins.find(
      (pin) => pin.key === drift.key && pin.kind === drift.kind && pin.name === drift.name,
    )?.changedBy;
    items.push({
      itemId: itemId('Drifted', drift.key, drift.kind, drift.name),
      event: 'Drifted',
      subject,
      fingerprint: fingerprint([drift.wanted, drift.actual]),
      title: `${drift.runtimeName}: ${drift.name} runs ${drift.actual}, the pin wants ${drift.wanted}`,
      text: `${drift.key} has drifted; the plan's answer: ${drift.outcome}${drift.reason ? ` (${drift.reason})` : ''}.${changedBy ? ` Changed by: ${changedBy}.` : ''}`,
      wanted: drift.wanted,
      current: drift.actual,
      ...optional('changedBy', changedBy),
    });
  }
  return items;
}

function manualItem(pin: PinResult): TrackedItem {
  const steps = pin.manualSteps ?? [];
  return {
    itemId: itemId('Manual', pin.key, pin.kind, pin.name),
    event: 'Manual',
    subject: pinSubject(pin),
    fingerprint: fingerprint([pin.wanted, pin.target, pin.current, ...steps]),
    title: `${pin.runtimeName}: move ${pin.name} from ${pin.current ?? '?'} to ${pin.target ?? pin.wanted} in the UI`,
    text: [pin.message, pin.advice, pin.changedBy && `It runs ${pin.current} since: ${pin.changedBy}.`]
      .filter(Boolean)
      .join(' '),
    steps,
    wanted: pin.wanted,
    ...versions(pin),
    ...optional('changedBy', pin.changedBy),
  };
}

function blockedItem(pin: PinResult): TrackedItem {
  return {
    itemId: itemId('Blocked', pin.key, pin.kind, pin.name),
    event: 'Blocked',
    subject: pinSubject(pin),
    fingerprint: fingerprint([pin.reason, pin.wanted, pin.target, pin.current]),
    title: `${pin.runtimeName}: ${pin.name} is blocked (${pin.reason ?? 'Blocked'})`,
    text: [pin.message, pin.advice].filter(Boolean).join(' '),
    wanted: pin.wanted,
    ...versions(pin),
    ...(pin.reason ? { reason: pin.reason } : {}),
  };
}

function versions(pin: PinResult): Pick<TrackedItem, 'current' | 'target'> {
  return {
    ...(pin.current !== undefined ? { current: pin.current } : {}),
    ...(pin.target !== undefined ? { target: pin.target } : {}),
  };
}

function pinSubject(pin: PinResult): Subject {
  return {
    key: pin.key,
    accountId: pin.accountId,
    ...(pin.runtimeId ? { runtimeId: pin.runtimeId } : {}),
    runtimeName: pin.runtimeName,
    kind: pin.kind,
    name: pin.name,
  };
}

function subjectOf(
  pins: readonly PinResult[],
  drift: { key: string; accountId: string; runtimeName: string },
): Subject {
  const runtimeId = pins.find((pin) => pin.key === drift.key && pin.runtimeId)?.runtimeId;
  return {
    key: drift.key,
    accountId: drift.accountId,
    ...(runtimeId ? { runtimeId } : {}),
    runtimeName: drift.runtimeName,
  };
}

function itemId(event: string, key: string, kind: string, name: string): string {
  return `${event}:${key}:${kind}:${name}`;
}

function fingerprint(parts: readonly (string | undefined)[]): string {
  return createHash('sha256')
    .update(parts.map((part) => part ?? '').join('\u0000'))
    .digest('hex')
    .slice(0, 16);
}

/** The runtime a GitHub issue is about: account and runtime id (or name when the runtime is unknown). */
export function runtimeKey(subject: Subject): string {
  return `${subject.accountId}/${subject.runtimeId ?? subject.runtimeName}`;
}

/**
 * What to send for the keys in `scope`, given the items tracked before and the plan's items now:
 * opened and updated items, and resolved ones (gone from the plan). `pinsNow` tells a verified manual
 * task (its pin is InSync) from a withdrawn one.
 */
export function diffItems(
  before: readonly TrackedItem[],
  now: readonly TrackedItem[],
  pinsNow: readonly PinResult[],
  at: Date,
): Notification[] {
  const previous = new Map(before.map((item) => [item.itemId, item] as const));
  const current = new Map(now.map((item) => [item.itemId, item] as const));
  const changes: { item: TrackedItem; change: Change }[] = [];
  for (const item of now) {
    const old = previous.get(item.itemId);
    if (!old) changes.push({ item, change: 'opened' });
    else if (old.fingerprint !== item.fingerprint) changes.push({ item, change: 'updated' });
  }
  for (const item of before)
    if (!current.has(item.itemId)) changes.push({ item: resolvedItem(item, pinsNow), change: 'resolved' });
  const openByRuntime = openTasksByRuntime(now);
  return changes.map(({ item, change }) => {
    const notification = toNotification(item, change, at);
    if (item.event !== 'Manual') return notification;
    return { ...notification, openTasks: openByRuntime.get(runtimeKey(item.subject)) ?? [] };
  });
}

function resolvedItem(item: TrackedItem, pinsNow: readonly PinResult[]): TrackedItem {
  const { key, kind, name } = item.subject;
  const pin = pinsNow.find((p) => p.key === key && p.kind === kind && p.name === name);
  const by = pin?.changedBy ? ` (${pin.changedBy})` : '';
  const where = `${item.subject.runtimeName}: ${name ?? 'the runtime'}`;
  const title =
    item.event === 'Manual'
      ? `Done — ${item.title}`
      : item.event === 'Drifted'
        ? `${where} matches its pin again`
        : `${where} is no longer blocked`;
  if (pin?.outcome === 'InSync') {
    const at = pin.current ?? pin.target ?? pin.wanted;
    const { changedBy: _before, ...rest } = item;
    return {
      ...rest,
      title,
      current: at,
      text: `Verified: ${name ?? 'the runtime'} now runs ${at}${by}.`,
      ...optional('changedBy', pin.changedBy),
    };
  }
  const now = pin ? `the pin's outcome is now ${pin.outcome}` : 'the pin is no longer managed';
  return { ...item, title, text: `No longer needed: ${now}.` };
}

function openTasksByRuntime(items: readonly TrackedItem[]): Map<string, TaskSummary[]> {
  const byRuntime = new Map<string, TaskSummary[]>();
  for (const item of items) {
    if (item.event !== 'Manual') continue;
    const key = runtimeKey(item.subject);
    const task = { title: item.title, steps: item.steps ?? [], ...optional('changedBy', item.changedBy) };
    byRuntime.set(key, [...(byRuntime.get(key) ?? []), task]);
  }
  return byRuntime;
}

function toNotification(item: TrackedItem, change: Change, at: Date): Notification {
  const { itemId: id, fingerprint: print, event, subject, title, text, steps } = item;
  return {
    id: `${id}@${print}:${change}`,
    event,
    change,
    subject,
    title,
    text,
    ...(steps && change !== 'resolved' ? { steps } : {}),
    ...optional('wanted', item.wanted),
    ...optional('current', item.current),
    ...optional('target', item.target),
    ...optional('reason', item.reason),
    ...optional('changedBy', item.changedBy),
    at: at.toISOString(),
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

/** A platform request atomsync sent, once it ended. */
export interface EndedRequest {
  key: string;
  accountId: string;
  runtimeId: string;
  runtimeName: string;
  /** What the request moved (component or pack names). */
  components: string[];
  action?: string;
  requestId?: string;
  /** COMPLETE, FAILED, … or the send error. */
  status: string;
  error?: string;
}

/** Applied (COMPLETE) or RequestFailed (FAILED or not sent); undefined for other endings. */
export function requestNotification(request: EndedRequest, at: Date): Notification | undefined {
  const failedToSend = request.error !== undefined;
  if (request.status !== 'COMPLETE' && request.status !== 'FAILED' && !failedToSend) return undefined;
  const event: NotifyEventKind = request.status === 'COMPLETE' ? 'Applied' : 'RequestFailed';
  const what = `${request.action ? `${request.action} of ` : ''}${request.components.join(', ')}`;
  const ref = request.requestId ? ` (request ${request.requestId})` : '';
  const title =
    event === 'Applied'
      ? `${request.runtimeName}: ${what} applied${ref}`
      : `${request.runtimeName}: ${what} failed${ref}`;
  // A send that failed has no platform id: the same failure again is the same state, not news.
  const id = request.requestId ?? `${request.key}:${request.runtimeId}:${what}:${request.error ?? ''}`;
  return {
    id: `${event}:${id}`,
    event,
    change: 'opened',
    subject: {
      key: request.key,
      accountId: request.accountId,
      runtimeId: request.runtimeId,
      runtimeName: request.runtimeName,
    },
    title,
    text: request.error ?? `The platform reports ${request.status}.`,
    ...(request.requestId ? { requestId: request.requestId } : {}),
    at: at.toISOString(),
  };
}
