// The commit status a PR report sets: success when the change applies cleanly after the merge (nothing
// blocked, nothing manual), failure otherwise; the description is one line such as
// `3 requests, 1 blocked (InstallBaseLock), 2 need ATOM_MANAGEMENT`.

import type { Plan } from '../domain/types.js';

export const STATUS_CONTEXT = 'atomsync/plan';

export interface PlanStatus {
  state: 'success' | 'failure';
  description: string;
}

export function statusForPlan(plan: Plan): PlanStatus {
  const state = plan.blocked.length === 0 && plan.manual.length === 0 ? 'success' : 'failure';
  return { state, description: describePlan(plan) };
}

function describePlan(plan: Plan): string {
  const { summary } = plan;
  const needs = plan.pins.filter((pin) => pin.needsPrivilege !== undefined && pin.outcome !== 'InSync');
  const quiet =
    summary.requests === 0 && plan.blocked.length === 0 && plan.manual.length === 0 && summary.waiting === 0;
  if (quiet) return `No changes: ${count(summary.inSync, 'pin')} in sync`;
  const parts = [count(summary.requests, 'request')];
  if (plan.blocked.length > 0) parts.push(`${plan.blocked.length} blocked (${blockedReasons(plan)})`);
  if (plan.manual.length > 0) parts.push(`${plan.manual.length} manual`);
  if (summary.waiting > 0) parts.push(`${summary.waiting} waiting`);
  if (needs.length > 0)
    parts.push(`${needs.length} ${needs.length === 1 ? 'needs' : 'need'} ATOM_MANAGEMENT`);
  return parts.join(', ');
}

function blockedReasons(plan: Plan): string {
  const reasons = [...new Set(plan.blocked.map((pin) => pin.reason ?? 'Blocked'))].sort();
  return reasons.join(', ');
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
