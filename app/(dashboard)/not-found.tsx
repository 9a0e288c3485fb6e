import { LinkButton } from "@/components/link-button";
import { StatusNotice } from "@/components/status-notice";

export default function NotFound() {
  return (
    <StatusNotice
      tone="info"
      label="Not found"
      title="Nothing lives here"
      action={
        <LinkButton href="/" variant="secondary">
          Back to the overview
        </LinkButton>
      }
    >
      It may have been deleted, or the link is wrong.
    </StatusNotice>
  );
}
