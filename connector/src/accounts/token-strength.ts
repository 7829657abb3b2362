/** Fewer distinct characters than this, in a token of any length, is a pattern, not randomness. */
const MIN_DISTINCT_CHARACTERS = 12;

/**
 * Why a token an operator chose (ADMIN_TOKEN, CONNECTOR_METRICS_TOKEN) is too easy to guess, or
 * null when it looks random enough. Length alone let "aaaa…", "passwordpassword…" and
 * "1234567890…" through; these are the shapes people type when asked for a long value.
 */
export function guessableTokenProblem(token: string): string | null {
  if (token.length < 24) return 'must be at least 24 characters';
  if (new Set(token).size < MIN_DISTINCT_CHARACTERS) return `has fewer than ${MIN_DISTINCT_CHARACTERS} different characters`;
  if (/^(.+?)\1+$/s.test(token)) return 'is one piece repeated';
  if (steppingShare(token) > 0.5) return 'is mostly a run of consecutive characters (like 0123… or abcd…)';
  return null;
}

/** The share of neighbouring characters that step by one code point, up or down ("abc", "987"). */
function steppingShare(token: string): number {
  let steps = 0;
  for (let i = 1; i < token.length; i++) if (Math.abs(token.charCodeAt(i) - token.charCodeAt(i - 1)) === 1) steps++;
  return steps / (token.length - 1);
}
