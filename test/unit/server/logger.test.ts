import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../controller/log/logger.js';

function capture() {
  const lines: string[] = [];
  const handle = createLogger({ format: 'json', destination: { write: (line: string) => lines.push(line) } });
  return { ...handle, text: () => lines.join('') };
}

describe('controller logger', () => {
  it('writes one JSON object per line with level, time and message', () => {
    const { logger, text } = capture();
    logger.info({ key: 'integration/prod' }, 'reconciled');
    const line = JSON.parse(text().trim());
    expect(line).toMatchObject({ level: 30, msg: 'reconciled', key: 'integration/prod', name: 'atomsync' });
    expect(typeof line.time).toBe('string');
  });

  it('blanks fields named like credentials at any depth', () => {
    const { logger, text } = capture();
    logger.info(
      {
        token: 'tok-123456',
        request: { headers: { authorization: 'Basic QWxhZGRpbjpvcGVu', 'x-gitlab-token': 'gl-secret-1' } },
        account: { password: 'pw-654321' },
      },
      'calling',
    );
    const out = text();
    expect(out).not.toContain('tok-123456');
    expect(out).not.toContain('QWxhZGRpbjpvcGVu');
    expect(out).not.toContain('gl-secret-1');
    expect(out).not.toContain('pw-654321');
    expect(out).toContain('[REDACTED]');
  });

  it('scrubs known secret values from messages, errors and their Basic-auth form', () => {
    const { logger, scrubber, text } = capture();
    scrubber.addBasicAuth('BOOMI_TOKEN.admin@demo.atomsync', 'demo-admin-token');
    scrubber.add('hook-secret-"quoted"');
    const basic = Buffer.from('BOOMI_TOKEN.admin@demo.atomsync:demo-admin-token').toString('base64');
    logger.warn(`sent Basic ${basic}`);
    logger.error({ err: new Error('rejected demo-admin-token') }, 'call failed with demo-admin-token');
    logger.info({ note: 'hook-secret-"quoted"' }, 'webhook');
    const out = text();
    expect(out).not.toContain('demo-admin-token');
    expect(out).not.toContain(basic);
    expect(out).not.toContain('hook-secret');
    expect(out.match(/\[REDACTED\]/g)?.length).toBeGreaterThanOrEqual(4);
  });

  it('prints human-readable lines in pretty format', () => {
    const lines: string[] = [];
    const { logger } = createLogger({
      format: 'pretty',
      destination: { write: (l: string) => lines.push(l) },
    });
    logger.info('controller started');
    expect(lines.join('')).toContain('controller started');
    expect(() => JSON.parse(lines.join(''))).toThrow();
  });
});
