import { describe, expect, it } from "vitest";
import { parseChangelog, parseInline } from "./changelog-blocks";

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
});

describe("parseInline", () => {
  it.each([
    ["use `npm ci` now", ["text", "code", "text"]],
    ["**breaking** change", ["bold", "text"]],
    ["see [the PR](https://git.example.com/pr/1)", ["text", "link"]],
    // only http(s) links become links: anything else stays text
    ["[click](javascript:alert(1))", ["text"]],
  ])("%s", (text, kinds) => {
    expect(parseInline(text).map((p) => p.kind)).toEqual(kinds);
  });
});
