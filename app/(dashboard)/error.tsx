"use client";

import { Button } from "@/components/button";
import { StatusNotice } from "@/components/status-notice";

// Shown when a dashboard page fails unexpectedly; the server has logged the details.
export default function DashboardError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <StatusNotice
      tone="error"
      label="Something went wrong"
      title="This page could not be shown"
      action={
        <Button variant="secondary" onClick={reset}>
          Try again
        </Button>
      }
    >
      The error was logged on the server. Try again, or come back in a moment.
    </StatusNotice>
  );
}
