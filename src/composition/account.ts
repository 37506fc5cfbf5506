import type { AccountClosedHook, AnyModule, PersonalDataSection } from '../module.js';
import type { Clock } from '../platform/clock.js';
import { requireActor, type RequestContext } from '../platform/context.js';
import { withTransaction } from '../platform/db/transaction.js';
import type { Db } from '../platform/db/types.js';

/**
 * The account's privacy use cases, composed from every module's part: the personal-data
 * export (each module's `personalData` sections) and the closure (each module's
 * `onAccountClosed`, in one transaction). They sit above the modules because no module
 * may know the others.
 */
export interface AccountPrivacy {
  /** The export's keys, in document order (after `format`, `exportedAt` and `userId`). */
  readonly sections: readonly string[];
  /** The caller's export as JSON text in chunks; nothing is read until the first chunk is asked for. */
  exportPersonalData(ctx: RequestContext): AsyncGenerator<string>;
  /** Checks the password, then closes the caller's account (every module's part, one commit). */
  closeAccount(input: { password: string }, ctx: RequestContext): Promise<void>;
}

export const PERSONAL_DATA_FORMAT = 'staylane-personal-data/1';

/**
 * Chunks stay well under V8's large-object threshold (as the bookings export's): the text
 * is handed to the socket as it is made, one page of rows at a time.
 */
const CHUNK_CHARS = 32 * 1024;

export function buildAccountPrivacy(
  modules: readonly AnyModule[],
  services: Readonly<Record<string, unknown>>,
  deps: {
    db: Db;
    clock: Clock;
    /** The users service's password check (403 `wrong_password`, counted with failed logins). */
    confirmPassword(input: { password: string }, ctx: RequestContext): Promise<void>;
  },
): AccountPrivacy {
  const sections: PersonalDataSection[] = [];
  const hooks: AccountClosedHook[] = [];
  for (const module of modules) {
    if (module.personalData) sections.push(...module.personalData(services[module.name], services));
    if (module.onAccountClosed) hooks.push(module.onAccountClosed(services[module.name], services));
  }
  const names = sections.map((s) => s.section);
  const reserved = ['format', 'exportedAt', 'userId'];
  const clash = names.find((n, i) => names.indexOf(n) !== i || reserved.includes(n));
  if (clash) throw new Error(`Personal-data section "${clash}" is defined twice or is a reserved key`);

  async function* exportChunks(userId: string): AsyncGenerator<string> {
    let chunk = `{"format":${JSON.stringify(PERSONAL_DATA_FORMAT)},"exportedAt":${JSON.stringify(
      deps.clock.now().toISOString(),
    )},"userId":${JSON.stringify(userId)}`;
    for (const part of sections) {
      chunk += `,${JSON.stringify(part.section)}:[`;
      let first = true;
      for await (const row of part.rows(userId)) {
        chunk += (first ? '' : ',') + JSON.stringify(row);
        first = false;
        if (chunk.length >= CHUNK_CHARS) {
          yield chunk;
          chunk = '';
        }
      }
      chunk += ']';
    }
    yield `${chunk}}\n`;
  }

  return {
    sections: names,

    exportPersonalData(ctx) {
      // Checked at once, not when the first chunk is read: a refusal is a proper 401.
      return exportChunks(requireActor(ctx).id);
    },

    async closeAccount(input, ctx) {
      const actor = requireActor(ctx);
      await deps.confirmPassword(input, ctx);
      // In the modules' list order (users first); a module that refuses rolls every part back.
      await withTransaction(deps.db, async (tx) => {
        for (const hook of hooks) await hook(actor.id, tx, ctx);
      });
    },
  };
}
