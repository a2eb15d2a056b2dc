// Changelogs built to make a Markdown parser slow, each of the largest size a release may
// store (64 KB of UTF-8, MAX_CHANGELOG_BYTES in lib/data/releases/create.ts): unclosed
// openers, openers sharing one closer, deep nesting, one long line. Used by the time-bound
// test (changelog-blocks.test.ts) and by `npm run bench:changelog`.

export const CHANGELOG_MAX_BYTES = 65_536;

/** `unit` repeated up to exactly `bytes` bytes of UTF-8 (units are whole characters). */
export function filled(unit: string, bytes = CHANGELOG_MAX_BYTES, prefix = "", suffix = ""): string {
  const size = (text: string) => new TextEncoder().encode(text).length;
  const room = bytes - size(prefix) - size(suffix);
  let body = unit ? unit.repeat(Math.floor(room / size(unit))) : "";
  // top up with single ASCII characters so every input is exactly the limit
  body += "x".repeat(room - size(body));
  return prefix + body + suffix;
}

function nestedList(): string {
  const lines: string[] = [];
  let bytes = 0;
  for (let depth = 0; ; depth++) {
    const line = `${"  ".repeat(depth % 400)}- level ${depth}\n`;
    if (bytes + line.length > CHANGELOG_MAX_BYTES) break;
    lines.push(line);
    bytes += line.length;
  }
  return filled("", CHANGELOG_MAX_BYTES, lines.join(""));
}

export const ADVERSARIAL_CHANGELOGS: Record<string, string> = {
  "[ repeated": filled("["),
  "] repeated": filled("]"),
  "* repeated": filled("*"),
  "_ repeated": filled("_"),
  "` repeated": filled("`"),
  "> repeated": filled(">"),
  "> nested quotes": filled("> "),
  "# repeated": filled("#"),
  "**a repeated": filled("**a"),
  "*a_ repeated": filled("*a_"),
  "``a repeated": filled("``a"),
  "[a]( repeated": filled("[a]("),
  "[a](http://a repeated": filled("[a](http://a"),
  "[ then one long link": filled("[", CHANGELOG_MAX_BYTES, "", "](http://example.com/)"),
  "[ before one address without )":
    filled("[", CHANGELOG_MAX_BYTES / 2) + filled("a", CHANGELOG_MAX_BYTES / 2, "](http://"),
  "[[a] repeated": filled("[[a]"),
  "![a]( repeated": filled("![a]("),
  "<a repeated": filled("<a "),
  "&# repeated": filled("&#"),
  "\\ repeated": filled("\\"),
  "nested list indentation": nestedList(),
  "list items": filled("- a\n"),
  "numbered items": filled("1. a\n"),
  "digits on one line": filled("1"),
  "heading, spaces, line separator": filled(" ", CHANGELOG_MAX_BYTES, "# ", "a\u2028b"),
  "one 64 KB line of words": filled("word "),
  "line breaks only": filled("\n"),
  "carriage returns only": filled("\r"),
  "two-byte characters": filled("é"),
  emoji: filled("🚀"),
  "a realistic changelog": filled(
    "### Added\n- Fraud score (#775), see [the PR](https://git.example.com/pr/775)\n- `npm ci` is **faster**\n\n",
  ),
};
