// Issue 14, Why 3 ("no benchmark measures a whole convergence"): bench/converge.ts runs the controller
// against the simulator with the platform's rate limit on (10 requests/s per account) until every
// AtomVersion is Ready on the new version, counting every call. This runs it small and checks what the
// count is made of: one observation per account serves all its AtomVersions, request statuses are read in
// bulk, nothing is sent twice, and the accounts send at the same time instead of one after the other.
// One simulator per account (bench/converge.ts): their request ids repeat across accounts, so this also
// checks the controller keeps request statuses apart by account.
import { describe, expect, it } from 'vitest';
import { converge } from '../../bench/converge.js';

describe('convergence across accounts at the platform rate limit (issue 14)', () => {
  it('converges 3 accounts x 12 runtimes with shared observations, bulk status reads and accounts in parallel', async () => {
    const run = await converge({ accounts: 3, runtimesPerAccount: 12, concurrency: 4, timeoutMs: 90_000 });
    expect(run.converged).toBe(36);
    expect(run.writes).toBe(36);
    // Observing per AtomVersion would query the Atoms 12+ times per account; shared, a few times.
    expect(run.callsByVerbAndObject['QUERY Atom']).toBeLessThanOrEqual(3 * 4);
    expect(run.callsByVerbAndObject['BULK AtomVersions']).toBeLessThanOrEqual(3 * 4);
    // Request statuses: never one GET per request.
    expect(run.callsByVerbAndObject['GET AtomVersionUpdateRequest'] ?? 0).toBe(0);
    expect(run.callsByVerbAndObject['BULK AtomVersionUpdateRequest']).toBeGreaterThan(0);
    // Each account's poll loop reads its requests' statuses after its writes went out, about once; and a
    // key waiting on its request is woken when it ends instead of being passed again every poll (a send
    // pass, the pass that sees its request ended, the pass that confirms the new version).
    expect(run.callsByVerbAndObject['BULK AtomVersionUpdateRequest']).toBeLessThanOrEqual(3 * 2);
    expect(run.passesPerAtomVersion).toBeLessThanOrEqual(4);
    // The credential's roles are read once per account: the observation confirming the new versions keeps
    // the privileges read at the start (within the snapshot TTL) instead of reading them again.
    expect(run.callsByVerbAndObject['QUERY AccountUserRole']).toBe(3);
    expect(run.callsByVerbAndObject['BULK Role']).toBe(3);
    expect(run.accountsWroteInParallel).toBe(true);
    // The count ends with each account's last request complete (its last bulk status read): the
    // writes and status reads are in it, the observation confirming the new versions after it is not.
    expect(run.callsUntilRequestsComplete).toBeGreaterThanOrEqual(36 + 3);
    expect(run.callsUntilRequestsComplete).toBeLessThan(run.calls);
  }, 120_000);
});
