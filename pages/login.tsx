import type { GetServerSideProps } from "next";
import Head from "next/head";
import { AuthCard } from "@/components/auth-card";
import { Button } from "@/components/button";
import { Field } from "@/components/field";
import { FormBanner } from "@/components/form-banner";
import { PAGE_SCRIPTS } from "@/lib/page-scripts";
import { requestNonce } from "@/lib/pages/page-request";
import { pageTitle } from "@/lib/site";

/**
 * The sign-in page, the first page a browser loads. A Pages Router page with Next's runtime turned
 * off: the App Router's runtime alone (React DOM and its router) is over the page's 120 KiB
 * budget, and two fields and a button need none of it. The server renders the form with the
 * app's own components; public/sign-in.js checks and sends it.
 */
export const config = { unstable_runtimeJS: false };

interface Props {
  firstRun: boolean;
  /** This request's CSP nonce (proxy.ts), for our own script: 'strict-dynamic' ignores 'self'. */
  nonce: string | null;
}

/**
 * proxy.ts has already sent the visitor to /setup (first run pending) or / (signed in) when it
 * should (lib/auth/sign-in-page-redirect.ts): this page cannot import the session check itself. A
 * POST is the form sent without JavaScript (see below): its body is never read.
 */
export const getServerSideProps: GetServerSideProps<Props> = async ({ req, query }) => {
  return { props: { firstRun: query.setup === "done", nonce: requestNonce(req) } };
};

const NOTICE = "Your admin account is ready. Sign in with it to continue.";

export default function LoginPage({ firstRun, nonce }: Props) {
  return (
    <>
      <Head>
        <title>{pageTitle("Sign in")}</title>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
      </Head>
      <AuthCard
        title="Sign in"
        subtitle={
          firstRun ? "Use the email and password you just chose for the admin account." : "Use the email and password your admin gave you."
        }
        footer="Programs don't sign in here: they use an API token."
      >
        {/* Without JavaScript the form posts back here, never into a URL, and nothing signs in. */}
        <form id="sign-in" method="post" action="/login" noValidate className="space-y-1">
          <noscript>
            <div className="pb-3">
              <FormBanner tone="info" message="Signing in needs JavaScript: turn it on for this site, then reload." />
            </div>
          </noscript>
          <Field id="email" name="email" label="Email" type="email" optionalLabel={false} autoComplete="username" autoFocus />
          <Field id="password" name="password" label="Password" type="password" optionalLabel={false} autoComplete="current-password" />
          {/* One banner, one live region: an error replaces the notice. */}
          <div id="sign-in-banner" className="pb-3">
            <FormBanner tone="success" message={firstRun ? NOTICE : null} />
          </div>
          <Button type="submit" className="w-full">
            Sign in
          </Button>
        </form>
        {/* The states the script moves the form into, rendered by the same components: a field's
            error (its ARIA attributes), the error banner, the pending button. Inert until cloned. */}
        <template id="sign-in-states">
          <Field id="email" label="Email" optionalLabel={false} error="-" />
          <Field id="password" label="Password" optionalLabel={false} error="-" />
          <FormBanner tone="error" message="-" />
          <Button type="submit" pending className="w-full">
            Signing in…
          </Button>
        </template>
      </AuthCard>
      {PAGE_SCRIPTS["/login"]!.map((src) => (
        <script key={src} src={src} nonce={nonce ?? undefined} defer />
      ))}
    </>
  );
}
