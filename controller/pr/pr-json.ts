// The plan JSON of a pull-request report: the plan JSON (same formatVersion, same keys, same order) with
// `base` and `head` ({ref, sha}) after generatedAt and `pinChanges` after summary. readPrJson reads
// either kind of plan file back for `atomsync report github --from-json`.

import type { Plan } from '../domain/types.js';
import { PLAN_JSON_FORMAT_VERSION, renderJson } from '../report/json.js';
import type { PinChange } from '../report/pin-changes.js';
import { PrReportError } from './pr-error.js';
import type { CommitRef, PrReport } from './pr-report.js';

const PIN_CHANGE_KEYS: (keyof PinChange)[] = ['key', 'kind', 'name', 'change', 'before', 'after'];
const PLAN_ARRAYS = ['pins', 'drift', 'changes', 'blocked', 'manual'] as const;

export function renderPrJson(report: PrReport): string {
  const planDocument = JSON.parse(renderJson(report.plan)) as Record<string, unknown>;
  const document: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(planDocument)) {
    document[key] = value;
    if (key === 'generatedAt') {
      if (report.base) document.base = commitRef(report.base);
      if (report.head) document.head = commitRef(report.head);
    }
    if (key === 'summary' && report.pinChanges) {
      document.pinChanges = report.pinChanges.map(orderedPinChange);
    }
  }
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Reads a plan file written by `atomsync plan --format json` (with or without --base/--head). */
export function readPrJson(text: string, file: string): PrReport {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw invalid(file, 'it is not JSON');
  }
  if (!isRecord(document)) throw invalid(file, 'it is not a JSON object');
  if (document.formatVersion !== PLAN_JSON_FORMAT_VERSION) {
    throw invalid(
      file,
      `its formatVersion is ${JSON.stringify(document.formatVersion)}, this atomsync reads ${PLAN_JSON_FORMAT_VERSION}`,
    );
  }
  if (typeof document.generatedAt !== 'string' || !isRecord(document.summary)) {
    throw invalid(file, 'it lacks generatedAt or summary');
  }
  for (const key of PLAN_ARRAYS) {
    if (!Array.isArray(document[key])) throw invalid(file, `its ${key} is not a list`);
  }
  const report: PrReport = { plan: planOf(document) };
  const base = readCommitRef(document.base, 'base', file);
  const head = readCommitRef(document.head, 'head', file);
  if (base) report.base = base;
  if (head) report.head = head;
  if (document.pinChanges !== undefined) {
    if (!Array.isArray(document.pinChanges)) throw invalid(file, 'its pinChanges is not a list');
    report.pinChanges = document.pinChanges as PinChange[];
  }
  return report;
}

function planOf(document: Record<string, unknown>): Plan {
  return {
    formatVersion: PLAN_JSON_FORMAT_VERSION,
    generatedAt: document.generatedAt as string,
    summary: document.summary as unknown as Plan['summary'],
    pins: document.pins as Plan['pins'],
    drift: document.drift as Plan['drift'],
    changes: document.changes as Plan['changes'],
    blocked: document.blocked as Plan['blocked'],
    manual: document.manual as Plan['manual'],
  };
}

function readCommitRef(value: unknown, side: string, file: string): CommitRef | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value) || typeof value.sha !== 'string' || typeof value.ref !== 'string') {
    throw invalid(file, `its ${side} is not {ref, sha}`);
  }
  return { ref: value.ref, sha: value.sha };
}

function commitRef(ref: CommitRef): CommitRef {
  return { ref: ref.ref, sha: ref.sha };
}

function orderedPinChange(change: PinChange): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key of PIN_CHANGE_KEYS) if (change[key] !== undefined) result[key] = change[key];
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(file: string, why: string): PrReportError {
  return new PrReportError(
    'InvalidPlanFile',
    `${file} is not a plan file atomsync can read: ${why}; write one with \`atomsync plan --format json --out FILE\``,
  );
}
