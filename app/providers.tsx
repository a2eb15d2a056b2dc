"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { StepUpProvider } from "@/components/shell/step-up";

// The query client for live islands (deploy progress, checklist ticks, approvals). One per
// browser session; pages render on the server and need none of it.
export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        // server-rendered data is fresh when it arrives: do not refetch it straight away
        defaultOptions: { queries: { staleTime: 30_000 } },
      }),
  );
  return (
    <QueryClientProvider client={client}>
      {/* "confirm it's you": a code or the password, asked when an action needs one */}
      <StepUpProvider>{children}</StepUpProvider>
    </QueryClientProvider>
  );
}
