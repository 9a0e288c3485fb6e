import type { FormHTMLAttributes } from "react";

/**
 * A form its own script sends (react-hook-form, or a handler). Until that script has run, on a
 * slow network, pressing Enter or the button submits natively, and a form with no method would
 * put every field (a password, a secret value, a credential) into the URL: the history, the
 * Referer, every proxy's access log. This one POSTs back to its own page, which shows the page
 * again and never reads the body (e2e/before-scripts.spec.ts).
 */
export function ScriptedForm(props: Omit<FormHTMLAttributes<HTMLFormElement>, "method" | "action">) {
  return <form method="post" {...props} />;
}
