import Head from "next/head";
import { buttonClasses } from "@/components/button-styles";
import { StatusNotice } from "@/components/status-notice";
import { pageTitle } from "@/lib/site";

/**
 * When a page without React (lib/page-scripts.ts) fails unexpectedly: what
 * app/(dashboard)/error.tsx says on the others. Next's built-in page uses inline styles, which
 * the Content-Security-Policy refuses.
 */
export const config = { unstable_runtimeJS: false };

export default function ServerError() {
  return (
    <>
      <Head>
        <title>{pageTitle("Something went wrong")}</title>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
      </Head>
      <main>
        <StatusNotice
          tone="error"
          label="Something went wrong"
          title="This page could not be shown"
          action={
            // The same address again: a reload, with no script to do it.
            <a href="" className={buttonClasses("secondary")}>
              Try again
            </a>
          }
        >
          The error was logged on the server. Try again, or come back in a moment.
        </StatusNotice>
      </main>
    </>
  );
}
