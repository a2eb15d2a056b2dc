import type { ReactNode } from "react";
import { load } from "./load";

// The flag is read here, above loading.tsx's boundary: once the loading state streams, the
// status is 200 for good, so an unknown key must be found out before to be a real 404. The page
// reuses this read (React cache, one per request).
export default async function FlagLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ key: string }>;
}) {
  await load((await params).key);
  return children;
}
