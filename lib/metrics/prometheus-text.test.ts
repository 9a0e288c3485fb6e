import { describe, expect, it } from "vitest";
import { escapeLabelValue, renderPrometheusText } from "./prometheus-text";

describe("renderPrometheusText", () => {
  it("writes HELP, TYPE and one line per sample, ending in a newline", () => {
    const text = renderPrometheusText([
      {
        name: "provenance_upstream_calls_total",
        help: "Calls",
        type: "counter",
        samples: [{ labels: { connection_id: "a", type: "vault" }, value: 3 }],
      },
      { name: "provenance_up", help: "Up", type: "gauge", samples: [{ value: 1 }] },
    ]);
    expect(text).toBe(
      [
        "# HELP provenance_upstream_calls_total Calls",
        "# TYPE provenance_upstream_calls_total counter",
        'provenance_upstream_calls_total{connection_id="a",type="vault"} 3',
        "# HELP provenance_up Up",
        "# TYPE provenance_up gauge",
        "provenance_up 1",
        "",
      ].join("\n"),
    );
  });

  it("escapes backslash, double quote and newline in label values, and nothing else", () => {
    expect(escapeLabelValue('a\\b"c\nd}{,=é')).toBe('a\\\\b\\"c\\nd}{,=é');
    const text = renderPrometheusText([
      { name: "m", help: "line one\nline \\ two", type: "gauge", samples: [{ labels: { name: 'prod "eu"\n' }, value: 0 }] },
    ]);
    expect(text).toContain("# HELP m line one\\nline \\\\ two\n");
    expect(text).toContain('m{name="prod \\"eu\\"\\n"} 0\n');
  });

  it("refuses names the format does not allow", () => {
    expect(() => renderPrometheusText([{ name: "bad-name", help: "", type: "gauge", samples: [] }])).toThrow();
    expect(() =>
      renderPrometheusText([{ name: "m", help: "", type: "gauge", samples: [{ labels: { "bad-label": "x" }, value: 1 }] }]),
    ).toThrow();
  });
});
