import { formatDateTime, timeAgo } from "@/components/format-time";
import { Panel } from "@/components/panel";
import type { Actor } from "@/lib/auth/actor";
import { listSecretVersions, previousVersionIdle } from "@/lib/lineage/read-versions";

/** After this many hours without a read of the previous version, the panel says it is safe to revoke. */
export const SAFE_TO_REVOKE_HOURS = 24;

/**
 * The secret's versions, newest first, with who read each (GET /api/secrets/:id/versions, the same
 * lib code): "who still reads the old version?" before one revokes it. Fingerprints only, never values.
 */
export async function VersionsPanel({ actor, secretId }: { actor: Actor; secretId: string }) {
  const versions = await listSecretVersions({ actor, id: secretId });
  const previous = versions[1];
  return (
    <Panel
      title="Versions"
      description="Every version seen, newest first, with how many tokens and users read it. Fingerprints only, never values."
    >
      {versions.length === 0 ? (
        <p className="text-sm text-slate-600">No version seen yet: the first resolve records it.</p>
      ) : (
        <ol className="space-y-3" data-testid="versions-timeline">
          {versions.map((v, index) => (
            <li key={v.version} className="border-l-2 border-slate-200 pl-3 text-sm" data-testid="version-entry">
              <div className="flex flex-wrap items-baseline gap-x-2">
                <span className="font-medium text-slate-900">{index === 0 ? "Current" : "Version"}</span>
                <span className="font-mono text-[13px] break-all text-slate-700">{v.version}</span>
                <span className="font-mono text-xs text-slate-500" title={v.fingerprint}>
                  {v.fingerprint.replace(/^hmac-sha256:/, "").slice(0, 8)}
                </span>
              </div>
              <p className="mt-0.5 text-slate-600">
                Seen {formatDateTime(v.firstSeenAt)} – {formatDateTime(v.lastSeenAt)}
              </p>
              <p className="text-slate-600" data-testid="version-readers">
                {v.readers} reader{v.readers === 1 ? "" : "s"}
                {v.lastReadAt ? <> · last read {timeAgo(v.lastReadAt)}</> : " · never read"}
              </p>
            </li>
          ))}
        </ol>
      )}
      {previous && previousVersionIdle(versions, SAFE_TO_REVOKE_HOURS) ? (
        <p className="mt-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800" data-testid="safe-to-revoke">
          Safe to revoke the old version: nobody has read it for {SAFE_TO_REVOKE_HOURS} hours.
        </p>
      ) : null}
    </Panel>
  );
}
