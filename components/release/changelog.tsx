import { parseChangelog, type Inline } from "./changelog-blocks";

/**
 * A release's changelog, its Markdown headings and lists shown as such. Past MAX_PIECES
 * formatted pieces (changelog-blocks.ts) the rest is shown as the plain text it is.
 */
export function Changelog({ markdown }: { markdown: string }) {
  return (
    <div className="max-w-prose space-y-3 text-sm leading-6 break-words text-slate-800">
      {parseChangelog(markdown).map((block, i) => {
        if (block.kind === "heading")
          // the section's own heading is an h2: the changelog's headings sit below it
          return block.level <= 2 ? (
            <h3 key={i} className="pt-1 text-base font-semibold text-slate-900">
              <InlineText parts={block.content} />
            </h3>
          ) : (
            <h4 key={i} className="pt-1 text-sm font-semibold text-slate-900">
              <InlineText parts={block.content} />
            </h4>
          );
        if (block.kind === "list") {
          const List = block.ordered ? "ol" : "ul";
          return (
            <List key={i} className={`space-y-1 pl-5 ${block.ordered ? "list-decimal" : "list-disc"}`}>
              {block.items.map((item, j) => (
                <li key={j}>
                  <InlineText parts={item} />
                </li>
              ))}
            </List>
          );
        }
        if (block.kind === "rest")
          return (
            <p key={i} className="whitespace-pre-wrap">
              {block.text}
            </p>
          );
        return (
          <p key={i}>
            <InlineText parts={block.content} />
          </p>
        );
      })}
    </div>
  );
}

export function InlineText({ parts }: { parts: Inline[] }) {
  return parts.map((part, i) => {
    switch (part.kind) {
      case "code":
        return (
          <code key={i} className="rounded bg-slate-100 px-1 py-0.5 font-mono text-[0.85em]">
            {part.text}
          </code>
        );
      case "bold":
        return <strong key={i}>{part.text}</strong>;
      case "link":
        return (
          <a key={i} href={part.href} className="font-medium text-brand-700 underline" rel="noreferrer">
            {part.text}
          </a>
        );
      default:
        // plain text needs no element of its own: fewer elements keep long changelogs cheap
        return part.text;
    }
  });
}
