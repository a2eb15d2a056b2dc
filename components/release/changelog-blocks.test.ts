import fc from "fast-check";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Changelog } from "./changelog";
import { ADVERSARIAL_CHANGELOGS, CHANGELOG_MAX_BYTES } from "./changelog-adversarial";
import { MAX_PIECES, parseChangelog, parseInline, type Inline } from "./changelog-blocks";

describe("parseChangelog", () => {
  it("reads headings, lists and paragraphs", () => {
    const blocks = parseChangelog(
      "### Added\n- Fraud score (#775)\n- Retries\n\n1. First\n2. Second\nPlain words\ncontinue here",
    );
    expect(blocks.map((b) => b.kind)).toEqual(["heading", "list", "list", "paragraph"]);
    expect(blocks[0]).toMatchObject({ level: 3, content: [{ kind: "text", text: "Added" }] });
    expect(blocks[1]).toMatchObject({
      ordered: false,
      items: [[{ text: "Fraud score (#775)" }], [{ text: "Retries" }]],
    });
    expect(blocks[2]).toMatchObject({ ordered: true });
    expect(blocks[3]).toMatchObject({ content: [{ kind: "text", text: "Plain words continue here" }] });
  });

  it("is empty for an empty changelog", () => {
    expect(parseChangelog("  \n\n")).toEqual([]);
  });

  it("keeps a heading's text whole, line separators included", () => {
    expect(parseChangelog("#   Fixed\u2028now")).toEqual([
      { kind: "heading", level: 1, content: [{ kind: "text", text: "Fixed\u2028now" }] },
    ]);
  });
});

describe("parseInline", () => {
  it.each([
    ["use `npm ci` now", ["text", "code", "text"]],
    ["**breaking** change", ["bold", "text"]],
    ["see [the PR](https://git.example.com/pr/1)", ["text", "link"]],
    ["write to [us](mailto:team@example.com)", ["text", "link"]],
    // only http(s) and mailto links become links: anything else stays text
    ["[click](javascript:alert(1))", ["text"]],
    ["[click](data:text/html,x)", ["text"]],
    ["[click](//evil.example.com)", ["text"]],
  ])("%s", (text, kinds) => {
    expect(parseInline(text).map((p) => p.kind)).toEqual(kinds);
  });

  it("shares one closing bracket among the openers before it", () => {
    expect(parseInline("[[a](https://x.example)")).toEqual([{ kind: "link", text: "[a", href: "https://x.example" }]);
    expect(parseInline("[[a] [b](http://y.example)")).toEqual([
      { kind: "text", text: "[[a] " },
      { kind: "link", text: "b", href: "http://y.example" },
    ]);
  });

  // The regular expression the parser replaced (it backtracked: 64 KB of "[" took 1.4 s), with
  // mailto added. On short texts it is fast and is the reference the scan must agree with.
  const REFERENCE = /`([^`]+)`|\*\*([^*]+)\*\*|\[([^\]]+)\]\(((?:https?:\/\/|mailto:)[^\s)]+)\)/g;
  function reference(text: string): Inline[] {
    const parts: Inline[] = [];
    let last = 0;
    for (const match of text.matchAll(REFERENCE)) {
      if (match.index > last) parts.push({ kind: "text", text: text.slice(last, match.index) });
      const [, code, bold, label, href] = match;
      if (code !== undefined) parts.push({ kind: "code", text: code });
      else if (bold !== undefined) parts.push({ kind: "bold", text: bold });
      else parts.push({ kind: "link", text: label!, href: href! });
      last = match.index + match[0].length;
    }
    if (last < text.length) parts.push({ kind: "text", text: text.slice(last) });
    return parts;
  }

  it("reads every text as the reference expression does", () => {
    const pieces = ["`", "*", "**", "[", "]", "(", ")", "](", "http://", "https://", "mailto:", "a", "b c", " ", "\t"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (chosen) => {
        const text = chosen.join("");
        expect(parseInline(text)).toEqual(reference(text));
      }),
      { seed: 20261201, numRuns: 3000 },
    );
  });
});

describe("adversarial changelogs", () => {
  // Parsing is where the old parser went quadratic (64 KB of "[" took 1.4 s). The least of five
  // runs: a busy machine can only add time, so the least is the parser's own cost. Rendering
  // with React's production build is held to the same bound in changelog-bench.test.ts.
  const BOUND_MS = 250;
  const least = (run: () => unknown) => {
    let best = Infinity;
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      run();
      best = Math.min(best, performance.now() - started);
    }
    return best;
  };

  it.each(Object.entries(ADVERSARIAL_CHANGELOGS))("%s, 64 KB, parses within the bound", (_name, markdown) => {
    expect(new TextEncoder().encode(markdown).length).toBe(CHANGELOG_MAX_BYTES);
    expect(least(() => parseChangelog(markdown))).toBeLessThan(BOUND_MS);
  });

  it("formats at most MAX_PIECES pieces, and shows the rest as its own text", () => {
    const markdown = ADVERSARIAL_CHANGELOGS["list items"]!;
    const blocks = parseChangelog(markdown);
    expect(blocks.map((b) => b.kind)).toEqual(["list", "rest"]);
    const [list, rest] = blocks;
    expect(list).toMatchObject({ kind: "list" });
    const items = list?.kind === "list" ? list.items.length : 0;
    // the list and each item are a piece
    expect(items + 1).toBeLessThanOrEqual(MAX_PIECES);
    expect(items + 1).toBeGreaterThan(MAX_PIECES - 3);
    // nothing is lost: the items shown plus the rest are the whole changelog
    expect(rest).toEqual({ kind: "rest", text: markdown.split("\n").slice(items).join("\n").trim() });
    const html = renderToStaticMarkup(createElement(Changelog, { markdown }));
    expect(html.match(/<li>/g)).toHaveLength(items);
    expect(html).toContain('<p class="whitespace-pre-wrap">- a\n- a');
  });

  it("keeps the text of a paragraph in which the bound is reached", () => {
    const markdown = `${"**b** ".repeat(MAX_PIECES)}\nsecond line\n\n- after`;
    const blocks = parseChangelog(markdown);
    expect(blocks.map((b) => b.kind)).toEqual(["paragraph", "rest"]);
    expect(blocks[1]).toEqual({ kind: "rest", text: "- after" });
    const paragraph = blocks[0]!;
    const parts = paragraph.kind === "paragraph" ? paragraph.content : [];
    expect(parts.filter((p) => p.kind === "bold")).toHaveLength(MAX_PIECES - 1);
    expect(parts.at(-1)).toEqual({ kind: "text", text: " **b** second line" });
  });

  it("renders links as anchors and never as raw HTML", () => {
    const html = renderToStaticMarkup(
      createElement(Changelog, {
        markdown: "- <script>alert(1)</script> [PR](https://x.example/1)\n\n<img src=x onerror=alert(1)>",
      }),
    );
    expect(html).toContain('<a href="https://x.example/1"');
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;");
  });
});
