import type { Command } from 'commander';
import { formatSinkMessage, startNotifySink } from '../notify/sink.js';
import { CliError } from './errors.js';

interface SinkFlags {
  listen: string;
  secretEnv?: string;
  out?: string;
}

export function registerNotifySink(program: Command): void {
  program
    .command('notify-sink')
    .description('Receive atomsync notifications locally: print them, and keep them for GET /messages')
    .option('-l, --listen <host:port>', 'address to listen on', '127.0.0.1:9595')
    .option(
      '--secret-env <name>',
      'environment variable with the webhook secret (signatures are then required)',
    )
    .option('--out <file>', 'also append every message to this JSON-lines file')
    .addHelpText(
      'after',
      `
Point a \`kind: webhook\` receiver at http://HOST:PORT/webhook and a \`kind: slack\` receiver at
http://HOST:PORT/slack (see docs/notifications.md).

Examples:
  atomsync notify-sink
  ATOMSYNC_NOTIFY_SECRET=s3cret atomsync notify-sink --secret-env ATOMSYNC_NOTIFY_SECRET --out sink.jsonl`,
    )
    .action(async (flags: SinkFlags) => {
      const { host, port } = hostPort(flags.listen);
      const secret = flags.secretEnv === undefined ? undefined : secretFrom(flags.secretEnv);
      const sink = await startNotifySink({
        host,
        port,
        ...(secret !== undefined ? { secret } : {}),
        ...(flags.out ? { out: flags.out } : {}),
        onMessage: (message) => process.stdout.write(formatSinkMessage(message)),
      });
      process.stdout.write(
        `atomsync notify-sink listening on ${sink.url} (/webhook, /slack; Ctrl-C to stop)\n`,
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      await sink.close();
    });
}

function hostPort(listen: string): { host: string; port: number } {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[^\s:[\]]+):(\d{1,5})$/.exec(listen);
  const port = Number(match?.[2]);
  if (!match?.[1] || !(port >= 0 && port <= 65535))
    throw new CliError(`--listen must be host:port such as 127.0.0.1:9595 (got "${listen}")`);
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}

function secretFrom(variable: string): string {
  const value = process.env[variable]?.trim();
  if (!value) throw new CliError(`--secret-env ${variable}: the environment variable is not set or empty`);
  return value;
}
