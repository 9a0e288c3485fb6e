/** One audit event as pages, exports and the audit stream see it: plain data, details parsed from their JSON. */
export interface AuditEventView {
  id: string;
  at: string;
  actor: { type: string; id: string | null; label: string | null };
  action: string;
  target: { type: string | null; id: string | null; label: string | null };
  outcome: string;
  sourceIp: string | null;
  details: Record<string, unknown> | null;
}

/** An audit_events row as stored. */
export interface AuditRow {
  id: string;
  at: Date;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  targetLabel: string | null;
  outcome: string;
  sourceIp: string | null;
  details: string | null;
}

export function auditEventView(row: AuditRow): AuditEventView {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: { type: row.actorType, id: row.actorId, label: row.actorLabel },
    action: row.action,
    target: { type: row.targetType, id: row.targetId, label: row.targetLabel },
    outcome: row.outcome,
    sourceIp: row.sourceIp,
    details: parseDetails(row.details),
  };
}

function parseDetails(json: string | null): Record<string, unknown> | null {
  if (!json) return null;
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
