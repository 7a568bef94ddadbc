// The screenshots in docs/ui.md come from the browser tests, at the moment each page shows what the doc
// says (the demo world before any change): `ATOMSYNC_UI_SCREENSHOTS=1 npx vitest run test/browser/dashboard.test.ts`
// rewrites docs/ui/*.png. Without the variable nothing is navigated or written.
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { REPO_ROOT } from '../../e2e/support/repo.js';

const WIDTH = 1500;

export async function screenshotForDocs(page: Page, url: string, name: string): Promise<void> {
  if (!process.env['ATOMSYNC_UI_SCREENSHOTS']) return;
  const viewport = page.viewport();
  await page.setViewport({ width: WIDTH, height: 800 });
  await page.goto(url, { waitUntil: 'load' });
  await page.screenshot({ path: join(REPO_ROOT, 'docs', 'ui', `${name}.png`), fullPage: true });
  if (viewport) await page.setViewport(viewport);
}
