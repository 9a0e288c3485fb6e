import { LinkButton } from "@/components/link-button";
import { StatusNotice } from "@/components/status-notice";

/** For addresses outside the dashboard (Next's built-in page would break the CSP). */
export default function NotFound() {
  return (
    <main>
      <StatusNotice
        tone="info"
        label="Not found"
        title="Nothing lives here"
        action={
          <LinkButton href="/" variant="secondary">
            Go to the overview
          </LinkButton>
        }
      >
        The link may be wrong.
      </StatusNotice>
    </main>
  );
}
