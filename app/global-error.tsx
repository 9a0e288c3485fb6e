"use client";

import "./globals.css";
import { Button } from "@/components/button";

/**
 * Shown when the root layout itself fails (dashboard pages have their own error.tsx). Next's
 * built-in page uses inline styles, which the Content-Security-Policy refuses; this one is
 * styled by the stylesheet. The server has logged the details; none are shown here.
 */
export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <main className="mx-auto max-w-md px-4 py-16 text-center">
          <p className="text-sm font-semibold text-red-600">Something went wrong</p>
          <h1 className="mt-2 text-2xl font-semibold tracking-tight text-slate-900">Provenance could not show this page</h1>
          <p className="mt-2 text-sm text-slate-600">The error was logged on the server. Try again, or come back in a moment.</p>
          <div className="mt-6">
            <Button variant="secondary" onClick={reset}>
              Try again
            </Button>
          </div>
        </main>
      </body>
    </html>
  );
}
