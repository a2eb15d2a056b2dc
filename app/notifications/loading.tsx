import { LoadingPage } from "@/components/ui/skeleton";

export default function Loading() {
  return <LoadingPage label="Loading your inbox…" rows={6} columns={1} />;
}
