// The controller's logger: pino, JSON lines by default, pretty (pino-pretty) on a terminal. Secrets are
// kept out twice: redact paths blank fields whose names say they hold one, and every finished line passes
// through a SecretScrubber that knows the actual secret values this process holds.
import pino from 'pino';
import PinoPretty from 'pino-pretty';
import { processSecrets, REDACTED, type SecretScrubber } from './secret-scrubber.js';

export type Logger = pino.Logger;
export type LogFormat = 'json' | 'pretty' | 'auto';

const SECRET_FIELDS = [
  'token',
  'password',
  'secret',
  'apiToken',
  'webhookSecret',
  'authorization',
  'Authorization',
  'credentials',
  'x-hub-signature-256',
  'x-gitlab-token',
];

/** Field names that hold secrets, at the top level and up to three levels down. */
const REDACT_PATHS = SECRET_FIELDS.flatMap((field) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(field) ? field : `["${field}"]`;
  const dotted = key.startsWith('[') ? key : `.${key}`;
  return [key, `*${dotted}`, `*.*${dotted}`, `*.*.*${dotted}`];
});

export interface LoggerSetup {
  level?: string;
  format?: LogFormat;
  /** Where lines go; default process.stdout. */
  destination?: { write(line: string): unknown; isTTY?: boolean };
  scrubber?: SecretScrubber;
}

export interface LoggerHandle {
  logger: Logger;
  scrubber: SecretScrubber;
}

export function createLogger(setup: LoggerSetup = {}): LoggerHandle {
  const scrubber = setup.scrubber ?? processSecrets;
  const destination = setup.destination ?? process.stdout;
  const pretty = setup.format === 'pretty' || (setup.format !== 'json' && destination.isTTY === true);
  const format = pretty
    ? PinoPretty.prettyFactory({ colorize: true, translateTime: 'SYS:standard' })
    : undefined;
  const stream = {
    write(line: string): void {
      const clean = scrubber.scrub(line);
      destination.write(format ? format(clean) : clean);
    },
  };
  const logger = pino(
    {
      level: setup.level ?? 'info',
      base: { name: 'atomsync' },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      serializers: { err: pino.stdSerializers.err },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    stream,
  );
  return { logger, scrubber };
}

/** A logger that drops everything (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
