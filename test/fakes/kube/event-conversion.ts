// core/v1 and events.k8s.io/v1 Events are one resource stored once, as in a real API server: an Event
// recorded through either API shows up in both (`kubectl describe` reads core/v1, atomsync writes
// events.k8s.io/v1). Stored in the core/v1 shape; events.k8s.io/v1 renames fields on the way in and out
// (the field mapping of k8s.io/kubernetes pkg/apis/events/v1 conversion).
import type { FieldError, KubeObject, StorageShape } from './kube-types.js';
import { isPlainObject } from './kube-types.js';

/** events.k8s.io/v1 field ↔ core/v1 field. */
const RENAMED: [string, string][] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];

export const EVENTS_STORAGE_KEY = '/events';

export const coreEventStorage: StorageShape = {
  key: EVENTS_STORAGE_KEY,
  toStorage: (obj) => obj,
  fromStorage: (obj) => obj,
};

export const eventsV1Storage: StorageShape = {
  key: EVENTS_STORAGE_KEY,
  toStorage: (obj) => rename(obj, RENAMED),
  fromStorage: (obj) =>
    rename(
      obj,
      RENAMED.map(([v1, core]) => [core, v1]),
    ),
};

function rename(obj: KubeObject, pairs: readonly (readonly [string, string])[]): KubeObject {
  const out: KubeObject = { ...obj };
  for (const [from, to] of pairs) {
    if (!(from in out)) continue;
    out[to] = out[from];
    delete out[from];
  }
  return out;
}

const NOTE_MAX_BYTES = 1024;
const SHORT_FIELD_MAX = 128;

/** What the API server checks on an events.k8s.io/v1 Event (pkg/apis/core/validation ValidateEventCreate). */
export function validateEventsV1(obj: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const required = (field: string) =>
    errors.push({ type: 'FieldValueRequired', field, body: 'Required value' });
  if (typeof obj.eventTime !== 'string' || obj.eventTime === '') required('eventTime');
  for (const field of ['reportingController', 'reportingInstance', 'action', 'reason']) {
    const value = obj[field];
    if (typeof value !== 'string' || value === '') required(field);
    else if (value.length > SHORT_FIELD_MAX)
      errors.push({
        type: 'FieldValueTooLong',
        field,
        body: `Too long: may not be more than ${SHORT_FIELD_MAX} bytes`,
      });
  }
  if (obj.type !== 'Normal' && obj.type !== 'Warning')
    errors.push({
      type: 'FieldValueNotSupported',
      field: 'type',
      body: `Unsupported value: ${JSON.stringify(obj.type ?? '')}: supported values: "Normal", "Warning"`,
    });
  if (!isPlainObject(obj.regarding)) required('regarding');
  if (typeof obj.note === 'string' && Buffer.byteLength(obj.note, 'utf8') > NOTE_MAX_BYTES)
    errors.push({
      type: 'FieldValueTooLong',
      field: 'note',
      body: `Too long: may not be more than ${NOTE_MAX_BYTES} bytes`,
    });
  const series = obj.series;
  if (isPlainObject(series) && (typeof series.count !== 'number' || series.count < 2))
    errors.push({
      type: 'FieldValueInvalid',
      field: 'series.count',
      body: `Invalid value: ${JSON.stringify(series.count ?? null)}: should be at least 2`,
    });
  return errors;
}
