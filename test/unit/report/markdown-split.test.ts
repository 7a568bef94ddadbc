import { describe, expect, it } from 'vitest';
import { readMarker } from '../../../controller/github/comment-markers.js';
import { renderMarkdown, splitForGithub } from '../../../controller/report/markdown.js';
import { bigPlan } from './big-plan.js';
import { demoPlan } from './demo-plans.js';

const LIMIT = 65_536;

describe('splitForGithub', () => {
  it('leaves a report that fits in one comment as it is', () => {
    const markdown = renderMarkdown(demoPlan);
    expect(splitForGithub(markdown)).toEqual([markdown]);
  });

  it('splits a 200 KB report into numbered parts that each fit in a comment', () => {
    const markdown = renderMarkdown(bigPlan(700));
    expect(markdown.length).toBeGreaterThan(200_000);
    const parts = splitForGithub(markdown);
    expect(parts.length).toBeGreaterThanOrEqual(4);
    parts.forEach((part, index) => {
      expect(part.length).toBeLessThanOrEqual(LIMIT);
      const [marker, label] = part.split('\n');
      expect(marker).toBe(`<!-- atomsync:plan part ${index + 1}/${parts.length} -->`);
      expect(label).toBe(`(part ${index + 1} of ${parts.length})`);
      expect(readMarker(part)).toEqual({ part: index + 1, total: parts.length });
    });
  });

  it('keeps every part whole: tables headed, details closed, fences paired, no heading left dangling', () => {
    for (const part of splitForGithub(renderMarkdown(bigPlan(700)))) expectWhole(part);
  });

  it('repeats the table header (and its heading, marked continued) in the part that continues a table', () => {
    const parts = splitForGithub(renderMarkdown(bigPlan(1500, 1)));
    const headed = parts.filter((part) => part.includes('| runtime | pin | current | target | outcome |'));
    expect(headed.length).toBeGreaterThan(1);
    expect(parts.some((part) => part.includes('### acme-tenant-00 (continued)'))).toBe(true);
  });

  it('loses no row or list item and duplicates none', () => {
    const markdown = renderMarkdown(bigPlan(700));
    const parts = splitForGithub(markdown);
    expect(contentLines(parts.join('\n'))).toEqual(contentLines(markdown));
  });

  it('reopens a <details> section too long for one part as "(continued)"', () => {
    const plan = bigPlan(600);
    const inSyncOnly = {
      ...plan,
      pins: plan.pins.filter((pin) => pin.outcome === 'InSync'),
      drift: [],
      changes: [],
    };
    const markdown = renderMarkdown({ ...inSyncOnly, blocked: [], manual: [] });
    const parts = splitForGithub(markdown, 4_000);
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.some((part) => /<summary>In sync: \d+ pins[^<]* \(continued\)<\/summary>/.test(part))).toBe(
      true,
    );
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(4_000);
      expectWhole(part);
    }
  });

  it('reopens a code fence too long for one part', () => {
    const log = Array.from({ length: 400 }, (_, i) => `line ${i} of a long log`).join('\n');
    const markdown = `<!-- atomsync:plan -->\n## log\n\n\`\`\`text\n${log}\n\`\`\`\n`;
    const parts = splitForGithub(markdown, 2_000);
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(2_000);
      expectWhole(part);
      expect(part).toContain('```text\n');
    }
  });

  it('numbers parts correctly when there are ten or more', () => {
    const parts = splitForGithub(renderMarkdown(bigPlan(200)), 2_000);
    expect(parts.length).toBeGreaterThanOrEqual(10);
    const last = parts.at(-1) ?? '';
    expect(last.split('\n')[0]).toBe(`<!-- atomsync:plan part ${parts.length}/${parts.length} -->`);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(2_000);
  });

  it('refuses a limit too small to hold a part', () => {
    expect(() => splitForGithub('x'.repeat(1_000), 100)).toThrow(RangeError);
  });
});

/** Asserts that a part is valid on its own. */
function expectWhole(part: string): void {
  const lines = part.trimEnd().split('\n');
  let depth = 0;
  let fences = 0;
  lines.forEach((line, index) => {
    if (line.startsWith('```')) fences += 1;
    depth += (line.match(/<details>/g)?.length ?? 0) - (line.match(/<\/details>/g)?.length ?? 0);
    expect(depth).toBeGreaterThanOrEqual(0);
    if (line.startsWith('|') && !(lines[index - 1] ?? '').startsWith('|')) {
      expect(lines[index + 1] ?? '').toMatch(/^\|(---\|)+$/);
    }
  });
  expect(depth).toBe(0);
  expect(fences % 2).toBe(0);
  expect(lines.at(-1) ?? '').not.toMatch(/^#{1,6} /);
}

/** Table data rows and list items, sorted: what a split must neither lose nor repeat. */
function contentLines(markdown: string): string[] {
  const lines = markdown.split('\n');
  return lines
    .filter((line, index) => {
      if (line.startsWith('- ')) return true;
      const isRow = line.startsWith('| ') && !/^\|(---\|)+$/.test(line);
      const isHeader = /^\|(---\|)+$/.test(lines[index + 1] ?? '');
      return isRow && !isHeader;
    })
    .sort();
}
