import { Head, Html, Main, NextScript } from "next/document";

/** The same <html> and <body> as app/layout.tsx gives the App Router's pages. */
export default function Document() {
  return (
    <Html lang="en">
      <Head>
        <meta name="theme-color" content="#0f172a" />
        <meta name="description" content="Secrets, stored here or fetched from your cloud secret managers." />
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
