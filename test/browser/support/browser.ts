// Headless Chromium for the dashboard tests: Debian's `chromium` package (installed by .ci/run), driven
// by puppeteer-core, which downloads no browser of its own. CHROMIUM_PATH overrides the location.
import { access } from 'node:fs/promises';
import puppeteer, { type Browser } from 'puppeteer-core';

const CANDIDATES = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'];

export async function launchChromium(): Promise<Browser> {
  const executablePath = await firstExisting(CANDIDATES.filter((path): path is string => !!path));
  return puppeteer.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run'],
  });
}

async function firstExisting(paths: string[]): Promise<string> {
  for (const path of paths) {
    if (
      await access(path).then(
        () => true,
        () => false,
      )
    )
      return path;
  }
  throw new Error(`no Chromium at ${paths.join(', ')}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
}
