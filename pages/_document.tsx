import { Head, Html, Main, NextScript } from "next/document";
import { SITE } from "@/lib/site";

/** The same <html> and <body> as app/layout.tsx gives the App Router's pages. */
export default function Document() {
  return (
    <Html lang="en">
      <Head>
        <meta name="theme-color" content={SITE.themeColor} />
        <meta name="description" content={SITE.description} />
        {/* app/icon.svg, served by the App Router at /icon.svg. */}
        <link rel="icon" href="/icon.svg" sizes="any" type="image/svg+xml" />
      </Head>
      <body className="min-h-screen font-sans">
        <Main />
        <NextScript />
      </body>
    </Html>
  );
}
