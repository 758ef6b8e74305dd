import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';
import type { ApiIssue } from '@corsplane/contracts';

/** zxcvbn's "safely unguessable" score: about 10^10 guesses, out of reach of online and slow offline attacks. */
export const MIN_PASSWORD_SCORE = 3;

/** Only this many leading characters are rated: a password whose first 64 are strong is strong. */
const ESTIMATED_PREFIX = 64;

let estimator: ZxcvbnFactory | undefined;

// Built on first use: the dictionaries take a moment and some memory, and only password writes need them.
function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    translations: english.translations,
    // Bounds the work per check: with the defaults (256 characters, 100 l33t substitutions) one random
    // 256-character password cost seconds of CPU; with these, about a tenth of a second at worst.
    maxLength: ESTIMATED_PREFIX,
    l33tMaxSubstitutions: 10,
  });
  return estimator;
}

/** The context as zxcvbn's user inputs: each whole, and its words (an email's name, a full name's parts). */
function knownWords(context: readonly string[]): string[] {
  const words = context.flatMap((c) => [c, ...c.split(/[^\p{L}\p{N}]+/u)]);
  return [
    ...new Set([...words, 'corsplane'].map((w) => w.toLowerCase()).filter((w) => w.length >= 3)),
  ];
}

/**
 * Why a new password is too easy to guess (zxcvbn's warning and advice), or null when it is strong enough.
 * `context` (the email, the name) counts as known to an attacker, as does the product's name. Only the first
 * 64 characters are rated, so the cost is bounded whatever the length.
 */
export function weakPasswordIssue(password: string, context: readonly string[]): ApiIssue | null {
  const { score, feedback } = zxcvbn().check(password, knownWords(context));
  if (score >= MIN_PASSWORD_SCORE) return null;
  const advice = [feedback.warning, ...feedback.suggestions].filter(Boolean).join(' ');
  return {
    path: 'password',
    value: null,
    reason: 'weak-password',
    message: `The password is too easy to guess.${advice ? ` ${advice}` : ''}`,
  };
}
