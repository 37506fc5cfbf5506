import { createRequire } from 'node:module';
import type * as ZxcvbnCore from '@zxcvbn-ts/core';
import type * as ZxcvbnCommon from '@zxcvbn-ts/language-common';
import type * as ZxcvbnEn from '@zxcvbn-ts/language-en';

/** zxcvbn's scale is 0–4; 3 is "safely unguessable" against an online attack. */
export const MIN_PASSWORD_SCORE = 3;

/**
 * Only this many leading characters are scored. zxcvbn's matching grows faster than
 * linearly: a crafted 256-character password costs seconds of CPU, a crafted 64-character
 * one under 0.2 s (an ordinary password about 10 ms). A strong 64-character prefix is a
 * strong password.
 */
export const SCORED_LENGTH = 64;

// The l33t matcher scores each substitution variant of the password; its default cap (100)
// multiplies the cost by up to ten on digit- and symbol-heavy input, while 10 variants gave
// the same scores on every common l33t password tried (p@55w0rd!!, $uperm@n123, …).
const L33T_MAX_VARIANTS = 10;

type Estimator = InstanceType<typeof ZxcvbnCore.ZxcvbnFactory>;
let estimator: Estimator | undefined;

/**
 * Loading the dictionaries costs about half a second of CPU and 23 MB of heap, so it waits
 * for the first password that needs judging rather than lengthening every start-up. The
 * packages are required synchronously because zod refinements are synchronous.
 */
function getEstimator(): Estimator {
  if (estimator) return estimator;
  const require = createRequire(import.meta.url);
  const core = require('@zxcvbn-ts/core') as typeof ZxcvbnCore;
  const common = require('@zxcvbn-ts/language-common') as typeof ZxcvbnCommon;
  const en = require('@zxcvbn-ts/language-en') as typeof ZxcvbnEn;
  estimator = new core.ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
    maxLength: SCORED_LENGTH,
    l33tMaxSubstitutions: L33T_MAX_VARIANTS,
  });
  return estimator;
}

/**
 * zxcvbn matches hints only whole, so each one also counts as its words and as those words
 * run together ("Alice.Smith" → alice.smith, alice, smith, alicesmith). Words under three
 * letters would match everywhere and only add noise.
 */
function expandHints(hints: readonly string[]): string[] {
  const words = new Set<string>();
  for (const hint of hints) {
    const h = hint.trim().toLowerCase().slice(0, SCORED_LENGTH);
    const parts = h.split(/[^\p{L}\p{N}]+/u);
    for (const word of [h, ...parts, parts.join('')]) if (word.length >= 3) words.add(word);
  }
  return [...words];
}

/**
 * Why a password is too easy to guess, or undefined when it is strong enough. `hints` are
 * the user's own details (name, e-mail), which make a password weak when it is built on them.
 */
export function passwordWeakness(password: string, hints: readonly string[] = []): string | undefined {
  const result = getEstimator().check(password, expandHints(hints));
  if (result.score >= MIN_PASSWORD_SCORE) return undefined;
  const { warning, suggestions } = result.feedback;
  const advice = [warning, ...suggestions].filter(Boolean).join(' ');
  return `Too easy to guess. ${advice || 'Use a longer passphrase of uncommon words.'}`;
}
