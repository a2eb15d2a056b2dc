import { parseChangelog, type Inline } from "./changelog-blocks";

// The changelogs of several releases merged by section: every "Fixed" list item of 2.22.0 and
// 2.22.1 under one "Fixed", each saying which release it came from. Sections are the
// changelogs' own headings (case and a trailing colon aside), Keep a Changelog's in its order
// first (Added, Changed, Deprecated, Removed, Fixed, Security), the others as they first
// appear; list items before any heading, or under a heading that only names a version
// ("## 2.22.0", "## [2.22.0] - 2026-11-02"), go to "Other changes", last. Paragraphs are not
// entries. At most `maxEntries` entries are kept (newest releases first); the rest is counted.

export interface ChangeEntry {
  releaseId: string;
  version: string;
  content: Inline[];
}

export interface ChangeGroup {
  heading: string;
  entries: ChangeEntry[];
}

export interface GroupedChanges {
  groups: ChangeGroup[];
  /** entries past maxEntries, left out */
  omitted: number;
}

export const OTHER_CHANGES = "Other changes";
/** Entries shown at most on one page, whatever the number of releases. */
export const MAX_GROUPED_ENTRIES = 400;

const KEEP_A_CHANGELOG = ["added", "changed", "deprecated", "removed", "fixed", "security"];
const VERSION_HEADING = /^\[?v?\d+(\.\d+)*/i;

const plain = (parts: Inline[]) =>
  parts
    .map((p) => p.text)
    .join("")
    .trim();
const keyOf = (heading: string) => heading.replace(/:$/, "").trim().toLowerCase();

/** `releases` newest first, as the promotion lists them. */
export function groupChanges(
  releases: readonly { id: string; version: string; changelog: string }[],
  maxEntries = MAX_GROUPED_ENTRIES,
): GroupedChanges {
  const groups = new Map<string, ChangeGroup>();
  let kept = 0;
  let omitted = 0;
  for (const release of releases) {
    let section: string | null = null;
    for (const block of parseChangelog(release.changelog)) {
      if (block.kind === "heading") {
        const text = plain(block.content).replace(/:$/, "");
        section = text && !VERSION_HEADING.test(text) ? text : null;
        continue;
      }
      if (block.kind !== "list") continue;
      const heading = section ?? OTHER_CHANGES;
      const key = section === null ? "\u0000other" : keyOf(heading);
      for (const content of block.items) {
        if (kept >= maxEntries) {
          omitted++;
          continue;
        }
        let group = groups.get(key);
        if (!group) groups.set(key, (group = { heading, entries: [] }));
        group.entries.push({ releaseId: release.id, version: release.version, content });
        kept++;
      }
    }
  }
  const rank = (key: string) => {
    if (key === "\u0000other") return KEEP_A_CHANGELOG.length + 1;
    const known = KEEP_A_CHANGELOG.indexOf(key);
    return known === -1 ? KEEP_A_CHANGELOG.length : known;
  };
  // a stable sort keeps the other headings in the order they first appeared
  const ordered = [...groups.entries()].sort(([a], [b]) => rank(a) - rank(b)).map(([, group]) => group);
  return { groups: ordered, omitted };
}
