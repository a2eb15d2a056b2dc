import { describe, expect, it } from "vitest";
import type { Inline } from "./changelog-blocks";
import { groupChanges, OTHER_CHANGES } from "./changelog-groups";

const text = (parts: Inline[]) => parts.map((p) => p.text).join("");
const summary = (releases: Parameters<typeof groupChanges>[0], max?: number) => {
  const { groups, omitted } = groupChanges(releases, max);
  return {
    groups: groups.map((g) => [g.heading, g.entries.map((e) => `${e.version}: ${text(e.content)}`)]),
    omitted,
  };
};

describe("groupChanges", () => {
  it("puts the same section of several releases together, newest release first, each entry with its version", () => {
    expect(
      summary([
        { id: "c", version: "2.23.0", changelog: "## Changed\n- checkout layout\n\n## Fixed\n- `null` total" },
        { id: "b", version: "2.22.1", changelog: "### fixed:\n1. crash on empty cart\n2. rounding" },
        { id: "a", version: "2.22.0", changelog: "### Added\n- search\n### Fixed\n- typo\n### Performance\n- faster" },
      ]),
    ).toEqual({
      groups: [
        ["Added", ["2.22.0: search"]],
        ["Changed", ["2.23.0: checkout layout"]],
        ["Fixed", ["2.23.0: null total", "2.22.1: crash on empty cart", "2.22.1: rounding", "2.22.0: typo"]],
        ["Performance", ["2.22.0: faster"]],
      ],
      omitted: 0,
    });
  });

  it("keeps inline formatting and the release each entry came from", () => {
    const { groups } = groupChanges([
      { id: "r1", version: "1.0.0", changelog: "### Fixed\n- see [#12](https://tracker.example/12)" },
    ]);
    expect(groups[0]!.entries[0]).toEqual({
      releaseId: "r1",
      version: "1.0.0",
      content: [
        { kind: "text", text: "see " },
        { kind: "link", text: "#12", href: "https://tracker.example/12" },
      ],
    });
  });

  it("sends items without a section, or under a version heading, to the other changes, last; paragraphs are no entries", () => {
    expect(
      summary([
        {
          id: "b",
          version: "1.1.0",
          changelog: "Some words.\n\n- loose item\n\n## [1.1.0] - 2026-11-02\n- under version",
        },
        { id: "a", version: "1.0.0", changelog: "## Security\n- patched\n# v1.0.0\n- again loose" },
      ]),
    ).toEqual({
      groups: [
        ["Security", ["1.0.0: patched"]],
        [OTHER_CHANGES, ["1.1.0: loose item", "1.1.0: under version", "1.0.0: again loose"]],
      ],
      omitted: 0,
    });
  });

  it("keeps at most maxEntries and counts the rest", () => {
    const releases = Array.from({ length: 5 }, (_, i) => ({
      id: String(i),
      version: `1.0.${4 - i}`,
      changelog: "### Fixed\n- a\n- b\n- c",
    }));
    const { groups, omitted } = groupChanges(releases, 10);
    expect(groups[0]!.entries).toHaveLength(10);
    expect(groups[0]!.entries.at(-1)!.version).toBe("1.0.1");
    expect(omitted).toBe(5);
  });

  it("is empty for releases without changelogs", () => {
    expect(groupChanges([{ id: "a", version: "1.0.0", changelog: "" }])).toEqual({ groups: [], omitted: 0 });
  });
});
