import { buttonClasses } from "@/components/button-styles";
import { StatusNotice } from "@/components/status-notice";

/**
 * For addresses outside the dashboard (Next's built-in page would break the CSP). The link is a
 * plain anchor, not next/link: the root not-found boundary's client components load with every
 * page, and next/link here put a second copy of it (3 KiB gzipped) on all of them, /login included.
 */
export default function NotFound() {
  return (
    <main>
      <StatusNotice
        tone="info"
        label="Not found"
        title="Nothing lives here"
        action={
          // A plain anchor on purpose (see above); the overview loads in full either way.
          // eslint-disable-next-line @next/next/no-html-link-for-pages
          <a href="/" className={buttonClasses("secondary")}>
            Go to the overview
          </a>
        }
      >
        The link may be wrong.
      </StatusNotice>
    </main>
  );
}
