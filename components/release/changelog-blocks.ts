// The Markdown subset changelogs use, parsed into plain data: headings, bullet and numbered
// lists, paragraphs; inline `code`, **bold** and [links](https://…) (also mailto:). Everything
// else stays text. The renderer builds React elements from this, so no HTML string is ever
// injected.
//
// Changelogs come from anyone holding release.create (CI tokens included) and are rendered on
// every view of the release page, on the server's one event loop. So the work must stay small
// whatever the text:
//  - linear parsing: no backtracking regular expression runs over user text. Inline parsing is
//    one left-to-right scan, and each search for a closing `, *, ] or the end of an address is
//    remembered, so no stretch of text is scanned twice however many openers precede it
//    (64 KB of "[" took 1.4 s with the regular expression this replaced);
//  - a bounded page: at most MAX_PIECES formatted pieces (blocks, list items, code, bold,
//    links). A changelog of thousands of one-word list items would otherwise cost React
//    tens of thousands of elements; past the bound the rest is shown as plain text.
// The inputs built to be slow are in changelog-adversarial.ts; changelog-blocks.test.ts holds
// every one of them to a time bound and `npm run bench:changelog` prints their times.

export type Inline = { kind: "text" | "code" | "bold"; text: string } | { kind: "link"; text: string; href: string };

export type Block =
  | { kind: "heading"; level: number; content: Inline[] }
  | { kind: "list"; ordered: boolean; items: Inline[][] }
  | { kind: "paragraph"; content: Inline[] }
  /** what follows once MAX_PIECES is reached: the changelog's own text, unformatted */
  | { kind: "rest"; text: string };

/** Formatted pieces per changelog; a long real one (300 items with a link each) uses ~700. */
export const MAX_PIECES = 2_000;

const LINK_SCHEMES = ["https://", "http://", "mailto:"];

/**
 * `find(from)`: the first index ≥ from where `pattern` (one character) matches, or -1. The
 * parser calls it with `from` never decreasing, so the text is searched at most once in all.
 */
function finder(text: string, pattern: RegExp): (from: number) => number {
  const search = new RegExp(pattern.source, "g");
  let found = -2;
  let searchedFrom = Infinity;
  return (from) => {
    if (from < searchedFrom || (found !== -1 && found < from)) {
      searchedFrom = from;
      search.lastIndex = from;
      found = search.exec(text)?.index ?? -1;
    }
    return found;
  };
}

/** `(address)` right after a label's "]" at `close`: an http(s) or mailto address, or null. */
function linkAfter(
  text: string,
  close: number,
  addressEnd: (from: number) => number,
): { href: string; end: number } | null {
  if (text[close + 1] !== "(") return null;
  const start = close + 2;
  const scheme = LINK_SCHEMES.find((s) => text.startsWith(s, start));
  if (!scheme) return null;
  const end = addressEnd(start + scheme.length);
  if (end <= start + scheme.length || text[end] !== ")") return null;
  return { href: text.slice(start, end), end: end + 1 };
}

/** One line's (or paragraph's) inline parts, with at most `budget` formatted ones. */
export function parseInline(text: string, budget = MAX_PIECES): Inline[] {
  const parts: Inline[] = [];
  const nextTick = finder(text, /`/);
  const nextStar = finder(text, /\*/);
  const nextClose = finder(text, /\]/);
  const nextAddressEnd = finder(text, /[\s)]/);
  // the link whose label closes at `closeAt`, once looked at: every "[" before the same "]"
  // shares it, so its address is read once
  let closeAt = -1;
  let link: { href: string; end: number } | null = null;

  let last = 0; // the text before `last` is in `parts`
  let i = 0;
  const emit = (start: number, part: Inline, end: number) => {
    if (start > last) parts.push({ kind: "text", text: text.slice(last, start) });
    parts.push(part);
    last = i = end;
    budget--;
  };

  while (i < text.length && budget > 0) {
    const char = text[i];
    if (char === "`") {
      const close = nextTick(i + 1);
      if (close > i + 1) {
        emit(i, { kind: "code", text: text.slice(i + 1, close) }, close + 1);
        continue;
      }
    } else if (char === "*" && text[i + 1] === "*") {
      const close = nextStar(i + 2);
      if (close > i + 2 && text[close + 1] === "*") {
        emit(i, { kind: "bold", text: text.slice(i + 2, close) }, close + 2);
        continue;
      }
    } else if (char === "[") {
      const close = nextClose(i + 1);
      if (close > i + 1) {
        if (close !== closeAt) {
          closeAt = close;
          link = linkAfter(text, close, nextAddressEnd);
        }
        if (link) {
          emit(i, { kind: "link", text: text.slice(i + 1, close), href: link.href }, link.end);
          continue;
        }
      }
    }
    i++;
  }
  if (last < text.length) parts.push({ kind: "text", text: text.slice(last) });
  return parts;
}

/** How many formatted pieces inline parts hold (text is not one). */
const formatted = (parts: Inline[]) => parts.reduce((n, part) => (part.kind === "text" ? n : n + 1), 0);

// Line patterns: anchored at the start, ending in [^]* that always reaches the end of the
// line, so a line that does not match is never tried again from other splits of it
const HEADING = /^(#{1,6})\s+([^]*)$/;
const BULLET = /^[-*+]\s+([^]*)$/;
const NUMBERED = /^\d+[.)]\s+([^]*)$/;

export function parseChangelog(markdown: string): Block[] {
  const blocks: Block[] = [];
  // a "\r" before a "\n" goes with the rest of the line's edges: each line is trimmed
  const lines = markdown.split("\n");
  let budget = MAX_PIECES;
  let paragraph: string[] = [];
  const flush = () => {
    if (!paragraph.length) return;
    const content = parseInline(paragraph.join(" "), budget - 1);
    budget -= 1 + formatted(content);
    blocks.push({ kind: "paragraph", content });
    paragraph = [];
  };

  for (const [index, raw] of lines.entries()) {
    if (budget <= 1) {
      // a paragraph under way has its lines still at hand: they open the rest
      const rest = [...paragraph, ...lines.slice(index)].join("\n").trim();
      paragraph = [];
      if (rest) blocks.push({ kind: "rest", text: rest });
      break;
    }
    const line = raw.trim();
    if (!line) {
      flush();
      continue;
    }
    // the patterns only run on lines that can start a heading or a list item
    const first = line[0]!;
    const heading = first === "#" ? HEADING.exec(line) : null;
    const bullet = first === "-" || first === "*" || first === "+" ? BULLET.exec(line) : null;
    const numbered = first >= "0" && first <= "9" ? NUMBERED.exec(line) : null;
    if (heading) {
      flush();
      const content = parseInline(heading[2]!, budget - 1);
      budget -= 1 + formatted(content);
      blocks.push({ kind: "heading", level: heading[1]!.length, content });
    } else if (bullet || numbered) {
      flush();
      const ordered = numbered !== null;
      const previous = blocks.at(-1);
      const continues = previous?.kind === "list" && previous.ordered === ordered;
      // the list costs one piece when it starts, each item one more
      const cost = continues ? 1 : 2;
      const item = parseInline((bullet ?? numbered)![1]!, budget - cost);
      budget -= cost + formatted(item);
      if (continues) previous.items.push(item);
      else blocks.push({ kind: "list", ordered, items: [item] });
    } else paragraph.push(line);
  }
  flush();
  return blocks;
}
