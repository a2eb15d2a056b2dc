import type { IconName } from "@/lib/domain/status";
import { iconProps } from "./icon-props";

// One distinct shape per status, so a badge reads without its colour. Decorative: the text
// label beside it carries the meaning for screen readers.

export function StatusIcon({ name, className = "size-4 shrink-0" }: { name: IconName; className?: string }) {
  const props = iconProps(className);
  switch (name) {
    case "check":
      return (
        <svg {...props}>
          <circle cx="8" cy="8" r="6.25" />
          <path d="M5.3 8.2l1.9 1.9 3.5-3.8" />
        </svg>
      );
    case "clock":
      return (
        <svg {...props}>
          <circle cx="8" cy="8" r="6.25" />
          <path d="M8 4.8V8l2.2 1.5" />
        </svg>
      );
    case "spinner":
      return (
        <svg {...props} className={`${className} motion-safe:animate-spin`}>
          <circle cx="8" cy="8" r="6.25" opacity="0.3" />
          <path d="M8 1.75A6.25 6.25 0 0 1 14.25 8" />
        </svg>
      );
    case "pause":
      return (
        <svg {...props}>
          <circle cx="8" cy="8" r="6.25" />
          <path d="M6.6 5.6v4.8M9.4 5.6v4.8" />
        </svg>
      );
    case "rewind":
      return (
        <svg {...props}>
          <circle cx="8" cy="8" r="6.25" />
          <path d="M8 5.5L5.3 8 8 10.5M11 5.5L8.3 8l2.7 2.5" />
        </svg>
      );
    case "cross":
      return (
        <svg {...props}>
          <circle cx="8" cy="8" r="6.25" />
          <path d="M5.9 5.9l4.2 4.2M10.1 5.9l-4.2 4.2" />
        </svg>
      );
    case "undo":
      return (
        <svg {...props}>
          <path d="M5.5 3.8L2.8 6.5l2.7 2.7" />
          <path d="M2.8 6.5h6.7a3.6 3.6 0 0 1 0 7.2H6.8" />
        </svg>
      );
    case "slash":
      return (
        <svg {...props}>
          <circle cx="8" cy="8" r="6.25" />
          <path d="M3.6 12.4l8.8-8.8" />
        </svg>
      );
    case "arrow":
      return (
        <svg {...props}>
          <circle cx="8" cy="8" r="6.25" />
          <path d="M5 8h5.6M8.4 5.6L10.8 8l-2.4 2.4" />
        </svg>
      );
    case "dash":
      return (
        <svg {...props}>
          <circle cx="8" cy="8" r="6.25" />
          <path d="M5.3 8h5.4" />
        </svg>
      );
    case "skip":
      return (
        <svg {...props}>
          <path d="M2 11.5C3.5 5.5 12.5 5.5 14 11.5" />
          <path d="M11.2 10.9l2.8.6.7-2.8" />
          <circle cx="8" cy="12" r="1" fill="currentColor" stroke="none" />
        </svg>
      );
    case "circle":
      return (
        <svg {...props}>
          <circle cx="8" cy="8" r="6.25" strokeDasharray="2.4 2.2" />
        </svg>
      );
    case "question":
      return (
        <svg {...props}>
          <circle cx="8" cy="8" r="6.25" />
          <path d="M6.1 6.3a2 2 0 1 1 2.6 1.9c-.5.2-.7.6-.7 1.1v.4" />
          <circle cx="8" cy="11.4" r=".8" fill="currentColor" stroke="none" />
        </svg>
      );
  }
}
