import type { ReactNode } from "react";
import { load } from "./load";

// The settings are read here, above loading.tsx's boundary: once Next streams the loading
// state the status is 200 for good, so an unknown environment must be found out before, to be
// a real 404. The page then reuses this read (React cache, one per request).
export default async function EnvironmentSettingsLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ key: string }>;
}) {
  await load((await params).key);
  return children;
}
