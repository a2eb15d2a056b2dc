import { LoadingPage } from "@/components/skeleton";

export default function Loading() {
  return <LoadingPage label="Loading releases…" rows={8} columns={4} />;
}
