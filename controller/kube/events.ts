// Kubernetes Events (events.k8s.io/v1) about AtomVersions: pending updates applied, rollbacks, pins that
// are blocked. An event that repeats (the same pin blocked pass after pass) is not a new object: the first
// one gets a series whose count is bumped — at most once per `seriesIntervalMs`, occurrences in between
// are counted and carried by the next bump. Events are best effort: a failure is reported, never thrown.

import { EventsV1Api, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import type { PinStatus, ReconcileAction } from '../domain/status.js';
import { realTimers, type Timers } from '../util/timers.js';
import { ATOMVERSION_API_VERSION, ATOMVERSION_KIND } from './atomversion-api.js';
import { describeKubeFailure } from './kube-errors.js';
import { microTime } from './kube-time.js';
import { FIELD_MANAGER } from './kube-object.js';

export interface EventTarget {
  namespace: string;
  name: string;
  uid?: string;
  /** The regarding object's kind (default AtomVersion) and apiVersion (default AtomVersion's). */
  kind?: string;
  apiVersion?: string;
}

export interface EventSpec {
  regarding: EventTarget;
  type: 'Normal' | 'Warning';
  /** CamelCase, e.g. ApplyPending, Rollback, InstallBaseLock. */
  reason: string;
  /** What atomsync did or tried: Apply, Rollback, Reconcile. */
  action: string;
  /** One sentence for a person (at most 1 KiB is kept). */
  note: string;
}

export type EventRecordResult = 'created' | 'updated' | 'counted' | 'failed';

export interface EventRecorderOptions {
  kubeConfig: KubeConfig;
  /** The pod (or replica) name. */
  reportingInstance: string;
  /** Default `atomsync.io/controller`. */
  reportingController?: string;
  /** A repeat bumps the series at most this often; 0 bumps on every repeat. Default 60 s. */
  seriesIntervalMs?: number;
  /** A repeat after this long starts a new Event (API servers drop events after about 1 h). Default 30 min. */
  seriesWindowMs?: number;
  /** Distinct events remembered for deduplication. Default 4096. */
  maxTracked?: number;
  onError?: (message: string) => void;
  timers?: Timers;
  /** Replaces the client-node API (tests). */
  api?: EventsV1Api;
}

interface Tracked {
  namespace: string;
  name: string;
  /** Occurrences so far, the first included. */
  count: number;
  /** Occurrences the stored Event already shows. */
  reported: number;
  firstAt: number;
  lastWriteAt: number;
}

const DEFAULT_REPORTING_CONTROLLER = 'atomsync.io/controller';
const MAX_NOTE_BYTES = 1024;

export class KubeEventRecorder {
  private readonly api: EventsV1Api;
  private readonly timers: Timers;
  private readonly tracked = new Map<string, Tracked>();
  private sequence = 0;

  constructor(private readonly options: EventRecorderOptions) {
    this.api = options.api ?? options.kubeConfig.makeApiClient(EventsV1Api);
    this.timers = options.timers ?? realTimers;
  }

  async record(spec: EventSpec): Promise<EventRecordResult> {
    const id = identity(spec);
    const now = this.timers.now();
    const known = this.tracked.get(id);
    const windowMs = this.options.seriesWindowMs ?? 30 * 60_000;
    try {
      if (!known || now - known.firstAt > windowMs) return await this.create(id, spec, now);
      known.count += 1;
      if (now - known.lastWriteAt < (this.options.seriesIntervalMs ?? 60_000)) return 'counted';
      return await this.bumpSeries(id, spec, known, now);
    } catch (error) {
      this.options.onError?.(
        `cannot record event ${spec.reason} for ${spec.regarding.kind ?? ATOMVERSION_KIND} ${spec.regarding.namespace}/${spec.regarding.name}: ` +
          describeKubeFailure(error).message,
      );
      return 'failed';
    }
  }

  private async create(id: string, spec: EventSpec, now: number): Promise<EventRecordResult> {
    const name = this.eventName(spec.regarding.name, now);
    const { namespace } = spec.regarding;
    await this.api.createNamespacedEvent({
      namespace,
      body: this.body(spec, name, now) as never,
      fieldManager: FIELD_MANAGER,
    });
    this.remember(id, { namespace, name, count: 1, reported: 1, firstAt: now, lastWriteAt: now });
    return 'created';
  }

  private async bumpSeries(
    id: string,
    spec: EventSpec,
    known: Tracked,
    now: number,
  ): Promise<EventRecordResult> {
    try {
      await this.api.patchNamespacedEvent(
        {
          namespace: known.namespace,
          name: known.name,
          body: { series: { count: known.count, lastObservedTime: microTime(now) } },
          fieldManager: FIELD_MANAGER,
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    } catch (error) {
      if (describeKubeFailure(error).statusCode !== 404) throw error;
      this.tracked.delete(id); // the Event expired on the server: start a new one
      return this.create(id, spec, now);
    }
    known.reported = known.count;
    known.lastWriteAt = now;
    return 'updated';
  }

  private body(spec: EventSpec, name: string, now: number): Record<string, unknown> {
    const { regarding } = spec;
    return {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name, namespace: regarding.namespace },
      eventTime: microTime(now),
      reportingController: this.options.reportingController ?? DEFAULT_REPORTING_CONTROLLER,
      reportingInstance: this.options.reportingInstance.slice(0, 128),
      action: spec.action.slice(0, 128),
      reason: spec.reason.slice(0, 128),
      type: spec.type,
      note: truncateBytes(spec.note, MAX_NOTE_BYTES),
      regarding: {
        apiVersion: regarding.apiVersion ?? ATOMVERSION_API_VERSION,
        kind: regarding.kind ?? ATOMVERSION_KIND,
        namespace: regarding.namespace,
        name: regarding.name,
        ...(regarding.uid ? { uid: regarding.uid } : {}),
      },
    };
  }

  /** `<object>.<hex nanoseconds>`, as client-go names events. */
  private eventName(objectName: string, now: number): string {
    this.sequence = (this.sequence + 1) % 1_000_000;
    const nanos = BigInt(now) * 1_000_000n + BigInt(this.sequence);
    return `${objectName.slice(0, 230)}.${nanos.toString(16)}`;
  }

  private remember(id: string, tracked: Tracked): void {
    this.tracked.delete(id);
    this.tracked.set(id, tracked);
    const max = this.options.maxTracked ?? 4096;
    while (this.tracked.size > max) {
      const oldest = this.tracked.keys().next().value;
      if (oldest === undefined) break;
      this.tracked.delete(oldest);
    }
  }
}

// -----------------------------------------------------------------------------------------------------
// The events a reconcile pass produces

const ACTION_EVENTS: Record<string, { reason: string; action: string; verb: string }> = {
  'AtomVersionUpdateRequest:APPLY_PENDING': {
    reason: 'ApplyPending',
    action: 'Apply',
    verb: 'applying the pending version of',
  },
  'AtomVersionUpdateRequest:ROLLBACK': { reason: 'Rollback', action: 'Rollback', verb: 'rolling back' },
  'IntegrationPackPendingUpdateRequest:': {
    reason: 'ApplyPackPending',
    action: 'Apply',
    verb: 'applying the pending update of',
  },
  'ReattachPack:': { reason: 'ReattachPack', action: 'Rollback', verb: 'reattaching' },
};

/** The event for a request atomsync sent (or tried to send) to the platform. */
export function actionEvent(regarding: EventTarget, action: ReconcileAction): EventSpec {
  const known = ACTION_EVENTS[`${action.kind}:${action.action ?? ''}`] ?? {
    reason: action.kind,
    action: 'Apply',
    verb: 'changing',
  };
  const request = action.requestId ? ` (request ${action.requestId})` : '';
  return {
    regarding,
    type: 'Normal',
    reason: known.reason,
    action: known.action,
    note: `${capitalize(known.verb)} ${action.components.join(', ')} on ${action.runtimeName}${request}`,
  };
}

/** The warning for a pin the plan cannot move (its reason is the event's reason); advice stands apart. */
export function blockedPinEvent(regarding: EventTarget, pin: PinStatus): EventSpec {
  const advice = pin.advice ? ` What to do: ${pin.advice.replace(/\.$/, '')}.` : '';
  return {
    regarding,
    type: 'Warning',
    reason: pin.reason ?? 'Blocked',
    action: 'Reconcile',
    note: `${pin.name} (wants ${pin.wanted}): ${pin.message.replace(/\.$/, '')}.${advice}`,
  };
}

/** Every event a pass produces: one per action, one per blocked pin. */
export function passEvents(
  regarding: EventTarget,
  actions: readonly ReconcileAction[],
  pins: readonly PinStatus[],
): EventSpec[] {
  return [
    ...actions.map((action) => actionEvent(regarding, action)),
    ...pins.filter((pin) => pin.outcome === 'Blocked').map((pin) => blockedPinEvent(regarding, pin)),
  ];
}

function identity(spec: EventSpec): string {
  const { namespace, name, uid, kind } = spec.regarding;
  return [kind ?? '', namespace, name, uid ?? '', spec.type, spec.reason, spec.action, spec.note].join(
    '\u0000',
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  let cut = text.slice(0, maxBytes - 1);
  while (Buffer.byteLength(`${cut}…`, 'utf8') > maxBytes) cut = cut.slice(0, -1);
  return `${cut}…`;
}
