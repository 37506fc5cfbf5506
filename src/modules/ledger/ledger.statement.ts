import type { Db } from '../../platform/db/types.js';
import { invalidStatementRange, STATEMENT_MAX_DAYS } from './ledger.errors.js';
import { hostAccount } from './ledger.policy.js';
import * as repo from './ledger.repository.js';
import type { StatementQuery } from './ledger.schemas.js';

export const STATEMENT_COLUMNS = ['date', 'kind', 'bookingId', 'payoutId', 'currency', 'amount', 'dueAt'] as const;

const PAGE = 500;
/** Chunks stay well below V8's large-object threshold (see the bookings export). */
const CHUNK_CHARS = 32 * 1024;

// A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One RFC 4180 cell; text a spreadsheet would take for a formula gets a leading apostrophe (numbers stay numbers). */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const csvLine = (cells: readonly (string | number | null)[]) => `${cells.map(csvCell).join(',')}\r\n`;

const DAY_MS = 86_400_000;

/** A host's earnings statement: the entries of their account in a window of days, streamed as CSV. */
export function createStatement(deps: { db: Db }) {
  return {
    statement(query: StatementQuery, hostId: string, signal?: AbortSignal) {
      const from = new Date(`${query.from}T00:00:00.000Z`);
      const to = new Date(`${query.to}T00:00:00.000Z`);
      const days = (to.getTime() - from.getTime()) / DAY_MS;
      if (days < 1 || days > STATEMENT_MAX_DAYS) throw invalidStatementRange();
      const account = hostAccount(hostId);
      async function* chunks(): AsyncGenerator<string> {
        yield csvLine(STATEMENT_COLUMNS);
        let after: { createdAt: Date; id: number } | undefined;
        let chunk = '';
        for (;;) {
          if (signal?.aborted) return;
          const rows = await repo.statementPage(deps.db, account, { from, to }, PAGE, after);
          for (const r of rows) {
            chunk += csvLine([
              r.createdAt.toISOString(),
              r.kind,
              r.bookingId,
              r.payoutId,
              r.currency,
              r.amount,
              r.availableAt?.toISOString() ?? null,
            ]);
            if (chunk.length >= CHUNK_CHARS) {
              yield chunk;
              chunk = '';
            }
          }
          if (rows.length < PAGE) break;
          const last = rows.at(-1)!;
          after = { createdAt: last.createdAt, id: last.id };
        }
        if (chunk) yield chunk;
      }
      return { filename: `earnings-${query.from}-${query.to}.csv`, chunks: chunks() };
    },
  };
}
