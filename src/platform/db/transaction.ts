import { is } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Db } from './types.js';

export type AfterCommitHook = () => unknown;

export interface TransactionScope {
  /**
   * Runs `hook` once the outermost transaction has committed — never before, never on
   * rollback. Hooks run in the order registered, one at a time.
   */
  afterCommit: (hook: AfterCommitHook) => void;
}

interface OpenScope extends TransactionScope {
  hooks: AfterCommitHook[];
  open: boolean;
}

// The transactions withTransaction opened, so that a nested call can join one.
const scopes = new WeakMap<object, OpenScope>();

/**
 * Runs `work` in a transaction. Handed a transaction this function opened, it joins it
 * (no savepoint: an error anywhere rolls back the whole of it) and its hooks wait for
 * that outer commit; handed the database, it opens one. Services and the public
 * functions of modules take `db | tx` and call this, so one use case composes many writes
 * into one commit whatever the caller passed.
 *
 * After-commit hooks (cache invalidation, notifications) run once the commit has
 * succeeded. Every hook runs even when an earlier one fails; then the first failure is
 * thrown (an AggregateError caused by the first when several failed), so the caller learns of it and the
 * error handler logs it — the data stays committed. Hooks should therefore be safe to
 * run and to fail after the fact: a cache bump, not a second write.
 */
export async function withTransaction<T>(db: Db, work: (tx: Db, scope: TransactionScope) => Promise<T>): Promise<T> {
  const outer = scopes.get(db);
  if (outer) {
    if (!outer.open) throw new Error('withTransaction: this transaction has already ended');
    return work(db, outer);
  }
  // A transaction opened elsewhere would run the hooks before its commit, or never.
  if (is(db, PgTransaction)) throw new Error('withTransaction: open the transaction with withTransaction');

  const scope: OpenScope = {
    hooks: [],
    open: true,
    afterCommit: (hook) => {
      if (!scope.open) throw new Error('afterCommit: the transaction has already ended');
      scope.hooks.push(hook);
    },
  };
  let result: T;
  try {
    result = await db.transaction(async (tx) => {
      scopes.set(tx, scope);
      return work(tx, scope);
    });
  } finally {
    scope.open = false;
  }
  await runHooks(scope.hooks);
  return result;
}

async function runHooks(hooks: AfterCommitHook[]): Promise<void> {
  const failures: unknown[] = [];
  for (const hook of hooks) {
    try {
      await hook();
    } catch (e) {
      failures.push(e);
    }
  }
  if (failures.length === 1) throw failures[0];
  // The first failure as the cause, so the error mapping sees e.g. Redis being down.
  if (failures.length > 1) throw new AggregateError(failures, 'after-commit hooks failed', { cause: failures[0] });
}
