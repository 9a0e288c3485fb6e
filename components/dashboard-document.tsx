import Head from "next/head";
import type { ReactNode } from "react";
import { PAGE_SCRIPTS } from "@/lib/page-scripts";
import { pageTitle } from "@/lib/site";
import { AppShell } from "./app-shell";
import { ToastCard, ToastRegion, type ToastTone } from "./toast-provider";

const TONES: ToastTone[] = ["success", "error", "info"];

/**
 * A dashboard page that ships no framework (a Pages Router page with Next's runtime off): the
 * same frame as app/(dashboard)/layout.tsx, rendered by the same components, and our own script
 * in place of React. The toast for each tone is rendered here into a <template> that the script
 * clones, so its markup and styles are the React toasts' own.
 */
export function DashboardDocument({
  route,
  title,
  user,
  nonce,
  children,
}: {
  /** The page's route, a key of PAGE_SCRIPTS. */
  route: string;
  title: string;
  user: { label: string; role: string };
  nonce: string | null;
  children: ReactNode;
}) {
  return (
    <>
      <Head>
        <title>{pageTitle(title)}</title>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
      </Head>
      <AppShell user={user}>{children}</AppShell>
      <ToastRegion />
      <template id="toast-states">
        {TONES.map((tone) => (
          <ToastCard key={tone} toast={{ id: 0, tone, message: "-" }} onDismiss={() => {}} />
        ))}
      </template>
      {PAGE_SCRIPTS[route]!.map((src) => (
        <script key={src} src={src} nonce={nonce ?? undefined} defer />
      ))}
    </>
  );
}
