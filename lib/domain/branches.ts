// Branch rules: which branches a release may come from to enter an environment
// (Environment.allowedBranches), and which ones are promoted there automatically
// (Environment.autoPromoteBranches). Pure: patterns are checked and matched here, lib/data
// stores them and the gates decide with them.
//
// A pattern is a branch name, where `*` stands for any run of characters within one path
// segment (`release/*` takes release/1.4 but not release/1.4/hotfix) and `**` for any run
// across segments (`team/**` takes team/a/b). Nothing else is special: `?`, `[`, `{` are
// refused rather than silently read as literal characters someone meant as a glob.

export const MAX_BRANCH_PATTERNS = 20;
export const MAX_BRANCH_LENGTH = 200;

/** What a branch name may hold: git's ref-name characters, less the ones git itself refuses. */
const BRANCH_CHARS = /^[A-Za-z0-9._/+@#-]+$/;
const PATTERN_CHARS = /^[A-Za-z0-9._/+@#*-]+$/;

/** Why `name` cannot be a branch name (as a release names the branch it was built from), or null. */
export function branchNameProblem(name: string): string | null {
  if (name.length === 0) return "Enter the branch name";
  if (name.length > MAX_BRANCH_LENGTH) return `Use at most ${MAX_BRANCH_LENGTH} characters`;
  if (/[\u0000-\u001f\u007f\s]/.test(name)) return "A branch name has no spaces or control characters";
  if (!BRANCH_CHARS.test(name))
    return "Use letters, digits and . _ / - + @ # only (as in main, release/1.4, feature/login)";
  return structureProblem(name);
}

/** Why `pattern` cannot be a branch pattern, or null. */
export function branchPatternProblem(pattern: string): string | null {
  if (pattern.length === 0) return "A branch pattern cannot be empty";
  if (pattern.length > MAX_BRANCH_LENGTH) return `Use at most ${MAX_BRANCH_LENGTH} characters per pattern`;
  if (/[\u0000-\u001f\u007f\s]/.test(pattern))
    return `“${printable(pattern)}” holds a space or a control character: write one pattern per line`;
  if (/[?[\]{}\\]/.test(pattern))
    return `“${pattern}” uses ? [ ] { } or \\, which are not supported: use * within a segment or ** across segments`;
  if (!PATTERN_CHARS.test(pattern))
    return `“${pattern}”: use letters, digits, . _ / - + @ # and the wildcards * and **`;
  if (/\*{3,}/.test(pattern)) return `“${pattern}”: use * (one segment) or ** (any segments), not more stars`;
  const problem = structureProblem(pattern);
  return problem ? `“${pattern}”: ${problem[0]!.toLowerCase()}${problem.slice(1)}` : null;
}

function structureProblem(name: string): string | null {
  if (name.includes("..")) return "A branch name cannot contain “..”";
  if (name.startsWith("/") || name.endsWith("/") || name.includes("//"))
    return "A branch name cannot start or end with / or hold an empty segment";
  if (name.startsWith("-")) return "A branch name cannot start with -";
  if (name.endsWith(".") || name.endsWith(".lock")) return "A branch name cannot end with . or .lock";
  return null;
}

function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, "�");
}

/**
 * The problems of a list of patterns, keyed by index ("" for the list as a whole); empty when
 * the list is fine.
 */
export function branchPatternsProblems(patterns: readonly string[]): Record<string, string> {
  const problems: Record<string, string> = {};
  if (patterns.length > MAX_BRANCH_PATTERNS) problems[""] = `Use at most ${MAX_BRANCH_PATTERNS} patterns`;
  patterns.forEach((pattern, i) => {
    const problem = branchPatternProblem(pattern);
    if (problem) problems[String(i)] = problem;
  });
  return problems;
}

const compiled = new Map<string, RegExp>();

function regexOf(pattern: string): RegExp {
  let found = compiled.get(pattern);
  if (!found) {
    const source = pattern
      .split("**")
      .map((part) =>
        part
          .split("*")
          .map((literal) => literal.replace(/[.+^$()|\\/#@-]/g, "\\$&"))
          .join("[^/]*"),
      )
      .join(".*");
    found = new RegExp(`^${source}$`);
    if (compiled.size > 1000) compiled.clear();
    compiled.set(pattern, found);
  }
  return found;
}

/** Does `branch` match `pattern`? A malformed pattern matches nothing. */
export function branchMatches(pattern: string, branch: string): boolean {
  if (branchPatternProblem(pattern) !== null) return false;
  return regexOf(pattern).test(branch);
}

/**
 * Does the rule let `branch` through? An empty rule lets everything through, releases without
 * a branch included; a rule with patterns needs a branch that matches one of them.
 */
export function branchAllowed(patterns: readonly string[], branch: string | null | undefined): boolean {
  if (patterns.length === 0) return true;
  if (!branch) return false;
  return patterns.some((pattern) => branchMatches(pattern, branch));
}

/** "main, release/*" — how a rule reads in a sentence. */
export function describePatterns(patterns: readonly string[]): string {
  return patterns.join(", ");
}

/**
 * Text from a settings form (one pattern or name per line, or separated by commas) as a
 * list: trimmed, blank entries dropped, duplicates kept once.
 */
export function listFromText(text: string): string[] {
  const seen = new Set<string>();
  for (const entry of text.split(/[\n,]/)) {
    const trimmed = entry.trim();
    if (trimmed) seen.add(trimmed);
  }
  return [...seen];
}
