import type { Scenario } from '#test/parity/kit.js';

/** None: the block list and the flagged addresses are managed by admins over REST only. */
export const scenarios: Scenario[] = [];
