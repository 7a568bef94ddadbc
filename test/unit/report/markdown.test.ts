import { describe, expect, it } from 'vitest';
import type { PinResult, Plan } from '../../../controller/domain/types.js';
import { renderMarkdown } from '../../../controller/report/markdown.js';
import type { PinChange } from '../../../controller/report/pin-changes.js';
import { DEMO_ALIASES, demoPlan, manualPlan, planOf, quietPlan } from './demo-plans.js';
import { expectGolden } from './golden.js';

const PR_CHANGES: PinChange[] = [
  {
    key: 'integration/dev-atom',
    kind: 'runtime',
    name: 'Atom',
    before: '26.12.0',
    after: 'channel:released',
    change: 'changed',
  },
  { key: 'integration/dev-atom', kind: 'pack', name: 'Salesforce to NetSuite', after: '4', change: 'added' },
  {
    key: 'integration/prod-east',
    kind: 'connector',
    name: 'HTTP Client',
    before: '26.11.0',
    after: 'channel:pending',
    change: 'changed',
  },
  {
    key: 'integration/prod-west',
    kind: 'connector',
    name: 'Salesforce',
    before: '26.11.1',
    change: 'removed',
  },
];

describe('renderMarkdown', () => {
  it('matches the golden PR comment for the demo world', async () => {
    await expectGolden('demo-plan.md', renderMarkdown(demoPlan));
  });

  it('matches the golden three-way PR comment (pin changes first, commit, aliases)', async () => {
    const markdown = renderMarkdown(demoPlan, {
      title: 'atomsync plan for #42',
      headSha: '9fceb02d0ae598e95dc970b74767f19372d61af8',
      pinChanges: PR_CHANGES,
      accountAliases: DEMO_ALIASES,
    });
    await expectGolden('demo-plan-pr.md', markdown);
  });

  it('matches the golden PR comment for manual steps and a pack conflict', async () => {
    await expectGolden('manual-plan.md', renderMarkdown(manualPlan, { accountAliases: DEMO_ALIASES }));
  });

  it('starts with the hidden marker and then a title and the one-line summary', () => {
    const lines = renderMarkdown(demoPlan).split('\n');
    expect(lines[0]).toBe('<!-- atomsync:plan -->');
    expect(lines[1]).toBe('## atomsync plan');
    expect(lines[3]).toMatch(
      /^\*\*Plan: 5 requests \(7 pins to change\), 13 blocked, 0 manual, 1 waiting, 10 in sync\.\*\*/,
    );
  });

  it('puts what the PR changes in the pins before everything else', () => {
    const markdown = renderMarkdown(demoPlan, { pinChanges: PR_CHANGES });
    const section = markdown.indexOf('### What this pull request changes in the pins');
    expect(section).toBeGreaterThan(0);
    expect(section).toBeLessThan(markdown.indexOf('### acme-'));
    expect(renderMarkdown(demoPlan, { pinChanges: [] })).toContain('This pull request changes no pins.');
    expect(renderMarkdown(demoPlan)).not.toContain('What this pull request changes');
  });

  it('collapses runtimes that are in sync into a details list', () => {
    const markdown = renderMarkdown(demoPlan);
    expect(markdown).toContain(
      '<details><summary>In sync: 7 pins (1 runtime with nothing to change)</summary>',
    );
    expect(markdown).toMatch(/^- \*\*Prod West Atom\*\*: Atom 26\.11\.0, connector Database 26\.11\.0/m);
    expect(markdown).not.toMatch(/^\| Prod West Atom \|/m);
  });

  it('gives every blocked pin its reason and what to do, and calls out the missing privilege', () => {
    const markdown = renderMarkdown(demoPlan);
    for (const pin of demoPlan.blocked) expect(markdown).toContain(`**${pin.reason}**`);
    expect(markdown.match(/\*\*What to do:\*\*/g)).toHaveLength(demoPlan.blocked.length);
    expect(markdown.match(/needs ATOM_MANAGEMENT at apply time/g)).toHaveLength(2);
  });

  it('lists manual pins with their numbered steps', () => {
    const markdown = renderMarkdown(manualPlan);
    expect(markdown).toContain('### Manual (2): steps to do by hand');
    expect(markdown).toContain('  1. Go to Manage &gt; Atom Management.');
  });

  it('escapes pipes and HTML in names so they cannot break a table or inject markup', () => {
    const first = demoPlan.pins[0] as PinResult;
    const hostile: PinResult = {
      ...first,
      runtimeName: 'Evil|Atom <img src=x onerror=alert(1)>',
      outcome: 'Rollback',
      message: 'm',
    };
    const plan: Plan = planOf([hostile], []);
    const markdown = renderMarkdown(plan);
    const row = markdown.split('\n').find((line) => line.startsWith('| Evil'));
    expect(row).toBe(
      '| Evil\\|Atom &lt;img src=x onerror=alert(1)&gt; | Atom | 26.11.0 | 26.12.0 | Rollback |',
    );
    expect(markdown).not.toContain('<img');
  });

  it('says there is nothing to change when every pin is in sync', () => {
    const markdown = renderMarkdown(quietPlan);
    expect(markdown).toContain('**No changes. 10 pins in sync.**');
    expect(markdown).not.toContain('| runtime |');
  });
});
