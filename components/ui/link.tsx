"use client";

import NextLink from "next/link";
import { useRouter } from "next/navigation";
import type { ComponentProps, FocusEvent, MouseEvent, TouchEvent } from "react";

// Every in-app link. Next's <Link> prefetches its page as soon as it scrolls into view, and
// again after every router.refresh(). Greenlight's pages refresh themselves whenever something
// changes (the board, a release, a deployment under way: lib/data/live.ts), so a page with
// thirty links asked the server for thirty pages each time a health check was measured, on
// every open tab: the server spent its time on pages nobody opened. Here a page is prefetched
// when a person reaches for its link (pointer over it, keyboard focus, a touch), which is still
// ahead of the click. `prefetch={true}` keeps Next's own prefetching where a link wants it.

type Props = ComponentProps<typeof NextLink>;

export default function Link({ prefetch, href, onMouseEnter, onFocus, onTouchStart, ...rest }: Props) {
  const router = useRouter();
  if (prefetch === true)
    return <NextLink prefetch href={href} {...{ onMouseEnter, onFocus, onTouchStart }} {...rest} />;
  const target = typeof href === "string" ? href : null;
  const onIntent = prefetch !== false && target !== null && target.startsWith("/") && !target.startsWith("//");
  const reach = () => {
    if (onIntent) router.prefetch(target);
  };
  return (
    <NextLink
      prefetch={false}
      href={href}
      onMouseEnter={(e: MouseEvent<HTMLAnchorElement>) => {
        reach();
        onMouseEnter?.(e);
      }}
      onFocus={(e: FocusEvent<HTMLAnchorElement>) => {
        reach();
        onFocus?.(e);
      }}
      onTouchStart={(e: TouchEvent<HTMLAnchorElement>) => {
        reach();
        onTouchStart?.(e);
      }}
      {...rest}
    />
  );
}
