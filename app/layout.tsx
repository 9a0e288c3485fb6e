import type { Metadata, Viewport } from "next";
import { SITE } from "@/lib/site";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: SITE.name, template: `%s · ${SITE.name}` },
  description: SITE.description,
};

// Every page is rendered per request: the Content-Security-Policy nonce (proxy.ts) is new each
// time, and a page prerendered at build time would carry scripts without it.
export const dynamic = "force-dynamic";

export const viewport: Viewport = { themeColor: SITE.themeColor, width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
