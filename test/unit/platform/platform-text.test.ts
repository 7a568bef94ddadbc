// Platform text (error messages, non-JSON bodies) as the client keeps it: credentials echoed back by the
// platform or a gateway are gone, terminal escapes and control characters are gone, the length is capped.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { processSecrets, SecretScrubber } from '../../../controller/log/secret-scrubber.js';
import { PlatformError } from '../../../controller/platform/errors.js';
import { cleanPlatformText, PLATFORM_TEXT_MAX_CHARS } from '../../../controller/platform/platform-text.js';
import { FakePlatform } from './fake-platform.js';
import { fakeClock, TEST_TOKEN, TEST_USERNAME, testClient } from './test-client.js';

const BASIC_VALUE = Buffer.from(`${TEST_USERNAME}:${TEST_TOKEN}`).toString('base64');

describe('cleanPlatformText', () => {
  it('replaces known secrets and any Basic or Bearer credential, whatever its value', () => {
    const secrets = new SecretScrubber();
    secrets.add('webhook-secret-991');
    const text =
      'headers: authorization=Basic Zm9vOmJhcg==; x-api: Bearer eyJhbGciOi.J9.abc; sig=webhook-secret-991';
    const clean = cleanPlatformText(text, secrets);
    expect(clean).toBe('headers: authorization=Basic [REDACTED]; x-api: Bearer [REDACTED]; sig=[REDACTED]');
  });

  it('drops ANSI escapes and control characters and folds line breaks into spaces', () => {
    const clean = cleanPlatformText('\u001b[31mred\u001b[0m\r\nnext\u0007 line\u202e', new SecretScrubber());
    expect(clean).toBe('red next line');
  });

  it('caps the length after scrubbing, so no secret is cut in half and left readable', () => {
    const secrets = new SecretScrubber();
    secrets.add('abcdefghijklmnop');
    const text = `${'x'.repeat(PLATFORM_TEXT_MAX_CHARS - 5)}abcdefghijklmnop${'y'.repeat(5_000)}`;
    const clean = cleanPlatformText(text, secrets);
    expect(clean).not.toContain('abcdefgh');
    expect(clean.length).toBeLessThan(PLATFORM_TEXT_MAX_CHARS + 40);
    expect(clean).toMatch(/… \(\d+ more characters cut\)$/);
  });
});

describe('the client keeps no credential from platform text', () => {
  let fake: FakePlatform;
  beforeEach(async () => {
    fake = await FakePlatform.start();
    fake.put('Atom');
  });
  afterEach(() => fake.close());

  it('Why 3: a gateway that echoes the request headers in its error body leaves neither the token nor the Basic value in the error', async () => {
    const echo = `Bad request. Headers: {"authorization":"Basic ${BASIC_VALUE}","x-token":"${TEST_TOKEN}"}\u001b[2J`;
    fake.inject({ kind: 'status', status: 400, message: `${echo}${'.'.repeat(5_000)}` });
    const client = testClient(fake, fakeClock());
    const error = (await client.get('Atom', 'a-1').catch((e: unknown) => e)) as PlatformError;
    expect(error).toBeInstanceOf(PlatformError);
    const everything = `${error.message}\n${error.platformMessage}\n${JSON.stringify(error)}`;
    expect(everything).not.toContain(BASIC_VALUE);
    expect(everything).not.toContain(TEST_TOKEN);
    expect(everything).not.toContain('\u001b');
    expect(error.platformMessage.length).toBeLessThan(PLATFORM_TEXT_MAX_CHARS + 40);
    expect(processSecrets.scrub(BASIC_VALUE)).toBe('[REDACTED]');
  });
});
