/**
 * The Prometheus text exposition format, version 0.0.4: per metric family a HELP and a TYPE line,
 * then one line per sample, `name{label="value",…} number`. Label values escape backslash, double
 * quote and newline; HELP text escapes backslash and newline. Names are ours and fixed, so they are
 * not checked here beyond the format's own pattern (a mistake throws in tests, not at a scrape).
 */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export interface MetricFamily {
  name: string;
  help: string;
  type: "counter" | "gauge";
  samples: Array<{ labels?: Record<string, string>; value: number }>;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

export function renderPrometheusText(families: MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    if (!NAME.test(family.name)) throw new Error(`bad metric name ${family.name}`);
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) {
      const labels = Object.entries(sample.labels ?? {});
      for (const [name] of labels) if (!LABEL_NAME.test(name) || name.startsWith("__")) throw new Error(`bad label name ${name}`);
      const labelText = labels.length === 0 ? "" : `{${labels.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(",")}}`;
      lines.push(`${family.name}${labelText} ${formatValue(sample.value)}`);
    }
  }
  return lines.join("\n") + "\n";
}
