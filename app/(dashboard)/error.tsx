"use client";

import { buttonClasses } from "@/components/button-styles";
import { StatusNotice } from "@/components/status-notice";

// Shown when a dashboard page fails unexpectedly; the server has logged the details. A plain
// button (no spinner is ever shown): this boundary loads with every dashboard page.
export default function DashboardError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <StatusNotice
      tone="error"
      label="Something went wrong"
      title="This page could not be shown"
      action={
        <button type="button" className={buttonClasses("secondary")} onClick={reset}>
          Try again
        </button>
      }
    >
      The error was logged on the server. Try again, or come back in a moment.
    </StatusNotice>
  );
}
