/**
 * The one error model. Services throw AppErrors; the REST error handler maps `kind` to
 * an HTTP status and problem+json, the GraphQL formatter maps it to `extensions.code`.
 */
export type ErrorKind =
  'invalid' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'rate_limited' | 'unavailable';

export interface FieldError {
  path: string;
  message: string;
}

export interface AppErrorOptions {
  details?: Record<string, unknown>;
  errors?: FieldError[];
  /** Seconds a client should wait (rate_limited). */
  retryAfter?: number;
  cause?: unknown;
}

export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  readonly errors: FieldError[] | undefined;
  readonly retryAfter: number | undefined;

  constructor(kind: ErrorKind, code: string, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.kind = kind;
    this.code = code;
    this.details = options.details;
    this.errors = options.errors;
    this.retryAfter = options.retryAfter;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

export const notFound = (what: string) =>
  new AppError('not_found', `${what}_not_found`, `${capitalize(what)} not found.`);
export const unauthorized = (message = 'Authentication required.', code = 'unauthorized') =>
  new AppError('unauthorized', code, message);
export const forbidden = (message = 'You are not allowed to do this.', code = 'forbidden') =>
  new AppError('forbidden', code, message);

/** A validation issue as zod reports it (the REST and GraphQL layers both hand these over). */
export interface ValidationIssue {
  path: ReadonlyArray<PropertyKey>;
  message: string;
  code?: string;
  /** Unknown keys of an `unrecognized_keys` issue. */
  keys?: readonly string[];
}

/**
 * The one conversion of validation issues into field errors: a dotted path (under
 * `prefix`, e.g. a GraphQL argument name) and a message, one error per unknown field.
 */
export function fieldErrors(issues: ReadonlyArray<ValidationIssue>, prefix = ''): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of issues) {
    const base = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      for (const key of issue.keys) errors.push({ path: base ? `${base}.${key}` : key, message: 'Unknown field.' });
    } else {
      errors.push({ path: base, message: issue.message });
    }
  }
  return errors;
}

/** Converts a zod error into the `errors` list shared by REST (422) and GraphQL (BAD_USER_INPUT). */
export function validationError(issues: ReadonlyArray<ValidationIssue>, prefix = ''): AppError {
  return new AppError('invalid', 'validation_failed', 'The request is not valid.', {
    errors: fieldErrors(issues, prefix),
  });
}

/** PostgreSQL error code of a failed query, looking through Drizzle's wrapper. */
export function pgErrorCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 4; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The name of the constraint a failed statement violated (SQLSTATE class 23), looking
 * through Drizzle's wrapper; pg and PGlite errors both carry it as `constraint`.
 */
export function violatedConstraint(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 4; depth++) {
    const { code, constraint } = cur as { code?: unknown; constraint?: unknown };
    if (typeof code === 'string' && code.startsWith('23'))
      return typeof constraint === 'string' ? constraint : undefined;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A module's constraint names, each with the domain error its violation means. */
export type ConstraintErrors = Readonly<Record<string, () => AppError>>;

/**
 * The domain error for a violation of a constraint named in `map`, else `e` unchanged —
 * so a service writes `catch (e) { throw mapConstraintError(e, usersConstraints); }` and
 * an unmapped failure stays what it was (a 500, logged).
 */
export function mapConstraintError(e: unknown, map: ConstraintErrors): unknown {
  const name = violatedConstraint(e);
  return name !== undefined && Object.hasOwn(map, name) ? map[name]!() : e;
}

/**
 * SQLSTATE class 22 (data exception): the database refused a value — out of range,
 * malformed, NUL in text. Input the schemas let through, so the client's error (422 /
 * BAD_USER_INPUT) rather than ours; callers log the SQLSTATE so the gap gets closed.
 */
export function isInvalidDataError(e: unknown): boolean {
  return pgErrorCode(e)?.startsWith('22') ?? false;
}

/** What a client sees for a class-22 failure: no SQL, no driver text. */
export const invalidValue = (cause?: unknown) =>
  new AppError('invalid', 'invalid_value', 'A value in the request is not valid.', { cause });

function capitalize(s: string): string {
  const words = s.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * What node-postgres says, with no code, of a connection that went away under a query (a
 * restart, a failover, a network cut) or of a connection that could not be made in time.
 */
const LOST_CONNECTION = /^(Connection terminated|Client has encountered a connection error|Client was closed)/;

/** What a 503 tells the client to wait: a lost database or Redis connection is re-made on the next call. */
export const UNAVAILABLE_RETRY_SECONDS = 2;

/** True for failures that mean a dependency (database, Redis) is down rather than a bug. */
export function isUnavailableError(e: unknown): boolean {
  const code = pgErrorCode(e);
  if (code && (code.startsWith('08') || code === '57P01' || code === '57P03' || code === '53300')) return true;
  for (let cur: unknown = e, depth = 0; cur && depth < 4; depth++) {
    const sys = (cur as { code?: unknown }).code;
    if (sys === 'ECONNREFUSED' || sys === 'ECONNRESET' || sys === 'ETIMEDOUT') return true;
    if (cur instanceof Error && sys === undefined && LOST_CONNECTION.test(cur.message)) return true;
    // ioredis, Redis unreachable: a command that ran out of reconnection attempts.
    if (cur instanceof Error && cur.name === 'MaxRetriesPerRequestError') return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}
