import { pgErrorCode, violatedConstraint } from './errors.js';

/** What the log keeps of an error: never the SQL, its parameters or the row values a database message can carry. */
// A type alias (not an interface), so that it fits loggers' `{ [key: string]: unknown }` shapes.
export type LoggedError = {
  type: string;
  message: string;
  stack: string;
  sqlState?: string;
  constraint?: string;
  cause?: LoggedError;
};

const MAX_CAUSES = 4;

/**
 * The pino serializer for `err`: type, message and stack frames, with database errors cut
 * down to their SQLSTATE and constraint name. A failed query's message carries its SQL and
 * parameters (Drizzle puts both in it, and in its stack's first lines), and a database
 * error's message and detail can quote the values of a row — user data, tokens — so neither
 * reaches a log line.
 */
export function logSafeError(err: unknown): LoggedError {
  return logged(err, 0);
}

function logged(err: unknown, depth: number): LoggedError {
  if (!(err instanceof Error)) return { type: typeof err, message: 'a non-error was thrown', stack: '' };
  const sqlState = pgErrorCode(err);
  const fromDatabase = isQueryError(err) || isDatabaseError(err);
  const entry: LoggedError = {
    type: err.constructor.name,
    message: fromDatabase ? 'database statement failed' : err.message,
    ...(sqlState && { sqlState }),
    ...(fromDatabase && violatedConstraint(err) ? { constraint: violatedConstraint(err) } : {}),
    stack: stackFrames(err.stack),
  };
  if (err.cause !== undefined && depth < MAX_CAUSES) entry.cause = logged(err.cause, depth + 1);
  return entry;
}

/** Drizzle's wrapper around a failed statement: it carries the query and its parameters. */
function isQueryError(err: Error): boolean {
  return 'query' in err && 'params' in err;
}

/** A driver's error from the server (pg, PGlite): a SQLSTATE of its own. */
function isDatabaseError(err: Error): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}

/** The "at …" lines of a stack, without the message lines above them. */
function stackFrames(stack: string | undefined): string {
  const first = stack?.indexOf('\n    at ') ?? -1;
  return first < 0 ? '' : stack!.slice(first + 1);
}
