import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';
import type * as PinoPretty from 'pino-pretty';
import { logSafeError } from './log-safe-error.js';

/**
 * How log lines are written: `json` (one object a line, what collectors parse) or `pretty`
 * (pino-pretty: time, level, message and fields, coloured on a terminal).
 */
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * LOG_FORMAT when it is set; otherwise pretty when stdout is a terminal and this is not
 * production, and JSON everywhere else (production, a pipe, a file, a log collector).
 */
export function resolveLogFormat(
  setting: LogFormat | undefined,
  isProduction: boolean,
  isTTY: boolean = process.stdout.isTTY === true,
): LogFormat {
  return setting ?? (!isProduction && isTTY ? 'pretty' : 'json');
}

let prettyStream: DestinationStream | undefined;
let jsonStream: DestinationStream | undefined;

/**
 * JSON lines are gathered until this many bytes wait (about a dozen request lines), then
 * written in one system call; a quiet process writes what waits every JSON_FLUSH_MS, and
 * at exit (pino flushes its destinations on the way out).
 */
const JSON_LOG_BUFFER_BYTES = 4096;
const JSON_FLUSH_MS = 250;

/**
 * Where a logger writes. For `json`, one destination on stdout shared by every logger of the
 * process (one writer, so lines never interleave), writing in batches rather than one write
 * per request line (request logging was 6–11 % of an uncached read's CPU in the profile, the
 * writes part of it). For `pretty`, one pino-pretty stream,
 * formatting on the calling thread and writing synchronously, so that lines logged just
 * before `process.exit` (the CLI's commands) are not lost, as they could be in a
 * worker-thread transport. pino-pretty is loaded only then: JSON never pays for it.
 */
export function logDestination(format: LogFormat): DestinationStream {
  if (format === 'json') {
    jsonStream ??= pino.destination({
      dest: 1,
      sync: false,
      minLength: JSON_LOG_BUFFER_BYTES,
      periodicFlush: JSON_FLUSH_MS,
    });
    return jsonStream;
  }
  if (!prettyStream) {
    const require = createRequire(import.meta.url);
    const { build } = require('pino-pretty') as typeof PinoPretty;
    prettyStream = build({
      colorize: process.stdout.isTTY === true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
      sync: true,
    });
  }
  return prettyStream;
}

export interface LogSettings {
  logLevel: string;
  /** LOG_FORMAT; unset chooses by terminal and environment (see resolveLogFormat). */
  logFormat: LogFormat | undefined;
  isProduction: boolean;
}

/** The stream every logger of a process writes to. */
export const logStreamFor = (settings: LogSettings): DestinationStream =>
  logDestination(resolveLogFormat(settings.logFormat, settings.isProduction));

/** A logger outside Fastify's (the worker, mail, live events), errors serialized without SQL or row values. */
export function createLogger(settings: LogSettings): Logger {
  const options = { level: settings.logLevel, serializers: { err: logSafeError } };
  return pino(options, logStreamFor(settings));
}
