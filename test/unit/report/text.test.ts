import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderText, shouldColor } from '../../../controller/report/text.js';
import { DEMO_ALIASES, demoPlan, manualPlan, quietPlan } from './demo-plans.js';
import { expectGolden } from './golden.js';

const ESC = String.fromCharCode(27);
const ANSI = new RegExp(`${ESC}\\[`);
const ANSI_CODES = new RegExp(`${ESC}\\[\\d+m`, 'g');

describe('renderText', () => {
  it('matches the golden report for the demo world, without colour', async () => {
    await expectGolden('demo-plan.txt', renderText(demoPlan, { color: false }));
  });

  it('matches the golden report for the demo world, with colour', async () => {
    await expectGolden('demo-plan.color.txt', renderText(demoPlan, { color: true }));
  });

  it('matches the golden report for manual steps and a pack conflict, with account aliases', async () => {
    await expectGolden(
      'manual-plan.txt',
      renderText(manualPlan, { color: false, accountAliases: DEMO_ALIASES }),
    );
  });

  it('writes no escape codes when colour is off and some when it is on', () => {
    expect(renderText(demoPlan, { color: false })).not.toMatch(ANSI);
    expect(renderText(demoPlan, { color: true })).toMatch(ANSI);
  });

  it('says the same words with and without colour', () => {
    const plain = renderText(demoPlan, { color: false });
    const colored = renderText(demoPlan, { color: true }).replace(ANSI_CODES, '');
    expect(colored).toBe(plain);
  });

  it('ends with a Terraform-style summary line', () => {
    const lines = renderText(demoPlan, { color: false }).trimEnd().split('\n');
    expect(lines.at(-1)).toBe(
      'Plan: 5 requests (7 pins to change), 13 blocked, 0 manual, 1 waiting, 10 in sync.',
    );
  });

  it('counts the pins the release schedule brings among those to change (issue 12)', () => {
    const scheduled = { ...demoPlan, summary: { ...demoPlan.summary, scheduled: 2 } };
    const lines = renderText(scheduled, { color: false }).trimEnd().split('\n');
    expect(lines.at(-1)).toBe(
      'Plan: 5 requests (7 pins to change, 2 through the release schedule), 13 blocked, 0 manual, 1 waiting, 10 in sync.',
    );
  });

  it('says "No changes" when every pin is in sync', () => {
    const text = renderText(quietPlan, { color: false });
    expect(text.trimEnd().split('\n').at(-1)).toBe('No changes. 10 pins in sync.');
    expect(text).not.toContain('Blocked (');
    expect(text).not.toContain('Requests, in apply order');
  });

  it('lists requests in wave order: TEST runtimes (wave 1) before PROD (wave 2)', () => {
    const text = renderText(demoPlan, { color: false });
    const wave1 = text.indexOf('wave 1');
    const wave2 = text.indexOf('wave 2');
    const prodEast = text.indexOf('Prod East Molecule [PROD]');
    const staging = text.indexOf('Staging Atom [TEST]: roll back');
    expect(wave1).toBeGreaterThan(0);
    expect(staging).toBeGreaterThan(wave1);
    expect(wave2).toBeGreaterThan(staging);
    expect(prodEast).toBeGreaterThan(wave2);
  });

  it('gives every blocked pin its reason and advice, and calls out the missing privilege', () => {
    const text = renderText(demoPlan, { color: false });
    for (const pin of demoPlan.blocked) {
      expect(text).toContain(`${pin.reason}`);
      expect(text).toContain(pin.advice as string);
    }
    expect(text).toContain('needs ATOM_MANAGEMENT at apply time');
  });

  it('prints manual steps numbered under their pin', () => {
    const text = renderText(manualPlan, { color: false });
    expect(text).toContain('Manual (2), to do by hand:');
    expect(text).toContain('1. Go to Manage > Atom Management.');
    expect(text).toContain('7. Wait for the runtime to restart');
  });
});

describe('shouldColor', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('colours a terminal', () => {
    vi.stubEnv('NO_COLOR', '');
    expect(shouldColor({ isTTY: true })).toBe(true);
  });

  it('does not colour a pipe or a file', () => {
    vi.stubEnv('NO_COLOR', '');
    expect(shouldColor({ isTTY: false })).toBe(false);
    expect(shouldColor({})).toBe(false);
  });

  it('does not colour a terminal when NO_COLOR is set', () => {
    vi.stubEnv('NO_COLOR', '1');
    expect(shouldColor({ isTTY: true })).toBe(false);
  });
});
