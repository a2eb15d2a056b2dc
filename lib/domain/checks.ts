// CI checks reported on a release (POST /api/v1/releases/{id}/checks): what a check's name may
// be, wherever one is written (the report, an environment's required checks, a checklist item
// that a check ticks). Pure.

export const MAX_CHECK_NAME = 100;
export const MAX_CHECK_SUMMARY = 1000;
export const MAX_REQUIRED_CHECKS = 20;

/**
 * Letters, digits, spaces and . _ - : / ( ) + # @, starting and ending with a letter or digit
 * or a closing bracket: "unit-tests", "e2e", "CI / build (ubuntu)".
 */
export const CHECK_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9 ._:/()+#@-]*[A-Za-z0-9)])?$/;

export const CHECK_NAME_MESSAGE =
  "Name the check with letters, digits, spaces and . _ - : / ( ) + # @ (1 to 100 characters, e.g. unit-tests)";

/** Why `name` cannot name a check, or null. */
export function checkNameProblem(name: string): string | null {
  if (name.length === 0 || name.length > MAX_CHECK_NAME || !CHECK_NAME.test(name)) return CHECK_NAME_MESSAGE;
  return null;
}

export const CHECK_STATUS_WORDS = {
  success: "passed",
  failure: "failing",
  pending: "pending",
  missing: "not reported",
} as const;
