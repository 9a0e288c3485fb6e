"use client";

import "./globals.css";
import { buttonClasses } from "@/components/button-styles";
import { StatusNotice } from "@/components/status-notice";

/**
 * Shown when the root layout itself fails (dashboard pages have their own error.tsx), in place
 * of Next's built-in page. The server has logged the details; none are shown here. A plain
 * button, not components/button: error boundaries load with every page, and its spinner is not needed here.
 */
export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <main>
          <StatusNotice
            tone="error"
            label="Something went wrong"
            title="Provenance could not show this page"
            action={
              <button type="button" className={buttonClasses("secondary")} onClick={reset}>
                Try again
              </button>
            }
          >
            The error was logged on the server. Try again, or come back in a moment.
          </StatusNotice>
        </main>
      </body>
    </html>
  );
}
