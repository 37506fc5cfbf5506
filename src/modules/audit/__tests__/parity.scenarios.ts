import type { Scenario } from '#test/parity/kit.js';

/**
 * None: the audit trail and the job outbox are read and retried by admins over REST only;
 * the audit module has no part of the GraphQL schema to compare.
 */
export const scenarios: Scenario[] = [];
