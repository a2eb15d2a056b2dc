import { LoadingPage } from "@/components/ui/skeleton";

export default function Loading() {
  return <LoadingPage label="Loading the new flag form…" rows={1} columns={1} />;
}
