import { describe, expect, it } from 'vitest';
import { diffItems, requestNotification, trackedItems } from '../../../controller/notify/notifications.js';
import { inSync, manualPin, planOf } from './notify-fixtures.js';

const at = new Date('2026-12-03T10:00:00Z');

describe('notifications from plans', () => {
  it('turns every Manual pin into a task carrying its UI steps', () => {
    const [message] = diffItems([], trackedItems(planOf([manualPin()])), [], at);
    expect(message).toMatchObject({
      event: 'Manual',
      change: 'opened',
      title: 'Staging Atom: move Salesforce from 24.9.0 to 24.10.1 in the UI',
      steps: ['Go to Manage > Atom Management.', 'Select "Staging Atom".', 'Apply the pending versions.'],
    });
    expect(message?.openTasks).toHaveLength(1);
  });

  it('says nothing when the same plan comes again (a resync is not news)', () => {
    const items = trackedItems(planOf([manualPin()]));
    expect(diffItems(items, trackedItems(planOf([manualPin()])), [], at)).toEqual([]);
  });

  it('sends an update when the task changes (a newer pending version), not when only a message does', () => {
    const before = trackedItems(planOf([manualPin()]));
    const reworded = trackedItems(planOf([manualPin({ message: 'reworded at 10:05' })]));
    expect(diffItems(before, reworded, [], at)).toEqual([]);
    const newer = trackedItems(planOf([manualPin({ target: '24.11.0', wanted: '24.11.0' })]));
    expect(diffItems(before, newer, [], at).map((m) => m.change)).toEqual(['updated']);
  });

  it('resolves a task as verified once its pin is InSync, and lists no open task for the runtime', () => {
    const before = trackedItems(planOf([manualPin()]));
    const done = planOf([inSync(manualPin())]);
    const [message] = diffItems(before, trackedItems(done), done.pins, at);
    expect(message).toMatchObject({ change: 'resolved', text: 'Verified: Salesforce now runs 24.10.1.' });
    expect(message?.openTasks).toEqual([]);
    expect(message?.steps).toBeUndefined();
  });

  it('tells a withdrawn task from a verified one', () => {
    const before = trackedItems(planOf([manualPin()]));
    const blocked = planOf([manualPin({ outcome: 'Blocked', reason: 'OutsideWindow' })]);
    const messages = diffItems(before, trackedItems(blocked), blocked.pins, at);
    expect(messages.find((m) => m.event === 'Manual')?.text).toBe(
      "No longer needed: the pin's outcome is now Blocked.",
    );
    expect(messages.find((m) => m.event === 'Blocked')?.change).toBe('opened');
  });

  it('tracks drift per pin with what runs and what is wanted', () => {
    const plan = planOf(
      [manualPin()],
      [
        {
          key: 'default/staging',
          accountId: 'acme-prod-D4E5F6',
          runtimeName: 'Staging Atom',
          kind: 'connector',
          name: 'Salesforce',
          wanted: '24.10.1',
          actual: '24.9.0',
          outcome: 'Manual',
        },
      ],
    );
    const drift = diffItems([], trackedItems(plan), plan.pins, at).find((m) => m.event === 'Drifted');
    expect(drift).toMatchObject({
      current: '24.9.0',
      wanted: '24.10.1',
      subject: { runtimeId: 'atom-staging' },
    });
  });

  it('announces a request once by its platform id: Applied when COMPLETE, RequestFailed when FAILED', () => {
    const base = {
      key: 'default/staging',
      accountId: 'a',
      runtimeId: 'r',
      runtimeName: 'Staging Atom',
      components: ['Atom'],
      action: 'APPLY_PENDING',
    };
    expect(requestNotification({ ...base, requestId: 'q1', status: 'COMPLETE' }, at)).toMatchObject({
      id: 'Applied:q1',
      event: 'Applied',
      title: 'Staging Atom: APPLY_PENDING of Atom applied (request q1)',
    });
    expect(requestNotification({ ...base, requestId: 'q2', status: 'FAILED' }, at)?.event).toBe(
      'RequestFailed',
    );
    expect(requestNotification({ ...base, requestId: 'q3', status: 'IN_PROGRESS' }, at)).toBeUndefined();
    const notSent = requestNotification({ ...base, status: 'NOT_SENT', error: 'HTTP 403' }, at);
    expect(notSent).toMatchObject({ event: 'RequestFailed', text: 'HTTP 403' });
  });
});
