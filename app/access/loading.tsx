import { LoadingPage } from "@/components/skeleton";

export default function Loading() {
  return <LoadingPage label="Loading the access matrix…" rows={5} columns={4} />;
}
