import { LoadingPage } from "@/components/ui/skeleton";

export default function Loading() {
  return <LoadingPage label="Loading the flag…" rows={4} columns={1} />;
}
