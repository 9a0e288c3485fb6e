import type { Metadata, Viewport } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Provenance", template: "%s · Provenance" },
  description: "Secrets, stored here or fetched from your cloud secret managers.",
};

// Every page is rendered per request: the Content-Security-Policy nonce (proxy.ts) is new each
// time, and a page prerendered at build time would carry scripts without it.
export const dynamic = "force-dynamic";

export const viewport: Viewport = { themeColor: "#0f172a", width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
