import { afterEach, describe, expect, it } from 'vitest';
import { setColorFlag, shouldColor } from '../../../controller/report/ansi.js';

const TTY = { isTTY: true };
const PIPE = { isTTY: false };

afterEach(() => setColorFlag(undefined));

describe('shouldColor', () => {
  it('colours a terminal only, unless NO_COLOR or TERM=dumb say otherwise', () => {
    expect(shouldColor(TTY, {})).toBe(true);
    expect(shouldColor(PIPE, {})).toBe(false);
    expect(shouldColor(TTY, { NO_COLOR: '1' })).toBe(false);
    expect(shouldColor(TTY, { TERM: 'dumb' })).toBe(false);
  });

  it('FORCE_COLOR colours even a pipe, and FORCE_COLOR=0 turns colour off on a terminal', () => {
    expect(shouldColor(PIPE, { FORCE_COLOR: '1', NO_COLOR: '1', TERM: 'dumb' })).toBe(true);
    expect(shouldColor(TTY, { FORCE_COLOR: '0' })).toBe(false);
  });

  it('--no-color wins over everything', () => {
    setColorFlag(false);
    expect(shouldColor(TTY, { FORCE_COLOR: '1' })).toBe(false);
  });
});
