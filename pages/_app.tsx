import type { AppProps } from "next/app";
import "@/app/globals.css";

/**
 * The Pages Router serves the pages that ship no React to the browser (lib/page-scripts.ts: sign-in
 * and the two list pages); this wrapper exists to bring in the app's stylesheet, the one the App Router's layout loads.
 */
export default function App({ Component, pageProps }: AppProps) {
  return <Component {...pageProps} />;
}
