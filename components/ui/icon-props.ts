// The drawing settings every inline status icon shares: a 16-unit outline glyph that inherits
// the text colour and is hidden from screen readers (the label beside it carries the meaning).
export function iconProps(className: string) {
  return {
    viewBox: "0 0 16 16",
    fill: "none",
    stroke: "currentColor",
    strokeWidth: 1.75,
    strokeLinecap: "round" as const,
    strokeLinejoin: "round" as const,
    "aria-hidden": true,
    focusable: false,
    className,
  };
}
