import type { AppProps } from "next/app";
import "@/app/globals.css";

/**
 * The Pages Router serves only /login (pages/login.tsx), which ships no React to the browser; this
 * wrapper exists to bring in the app's stylesheet, the one the App Router's layout loads.
 */
export default function App({ Component, pageProps }: AppProps) {
  return <Component {...pageProps} />;
}
