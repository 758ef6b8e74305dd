import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';
import type { ApiIssue } from '@corsplane/contracts';

/** zxcvbn's "safely unguessable" score: about 10^10 guesses, out of reach of online and slow offline attacks. */
export const MIN_PASSWORD_SCORE = 3;

let estimator: ZxcvbnFactory | undefined;

// Built on first use: the dictionaries take a moment and some memory, and only password writes need them.
function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    translations: english.translations,
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
 * `context` (the email, the product's name) counts as known to an attacker. zxcvbn reads the first 256
 * characters only, so the cost is bounded whatever the length.
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
