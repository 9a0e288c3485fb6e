import { describe, expect, it } from "vitest";
import { runFlagForPath, runFlagsForScope, secretSnippets, tokenRunSnippet } from "./usage-snippets";

const URL = "https://secrets.example.com";

describe("secretSnippets", () => {
  it("gets, runs and reads the one path, naming the variable as run will", () => {
    const [cli, typescript, http] = secretSnippets("stripe.apiKey", URL);
    expect(cli!.code).toBe(
      [
        "export PROVENANCE_URL=https://secrets.example.com",
        "export PROVENANCE_TOKEN=<your token>",
        "provenance get stripe.apiKey",
        "provenance run --path stripe.apiKey -- <your command>",
      ].join("\n"),
    );
    expect(cli!.note).toContain("$STRIPE_API_KEY");
    expect(typescript!.code).toContain('url: "https://secrets.example.com"');
    expect(typescript!.code).toContain("token: process.env.PROVENANCE_TOKEN!");
    expect(typescript!.code).toContain('const value = await secrets.get("stripe.apiKey");');
    expect(http!.code).toContain('"https://secrets.example.com/api/secrets/resolve?path=stripe.apiKey"');
  });

  it("names a path explicitly when its variable would start with a digit", () => {
    expect(runFlagForPath("1password.item")).toEqual({
      variable: "SECRET_1PASSWORD_ITEM",
      flag: "--env SECRET_1PASSWORD_ITEM=1password.item",
    });
    expect(runFlagForPath("db.prod-url")).toEqual({ variable: "DB_PROD_URL", flag: "--path db.prod-url" });
  });
});

describe("runFlagsForScope", () => {
  it("turns subtrees into prefixes and exact patterns into paths", () => {
    expect(runFlagsForScope("stripe.*")).toBe("--prefix stripe");
    expect(runFlagsForScope("stripe.*, db.url")).toBe("--prefix stripe --path db.url");
    expect(runFlagsForScope("app.prod.*")).toBe("--prefix app.prod");
  });

  it("has nothing to name for a token that reads everything", () => {
    expect(runFlagsForScope(null)).toBeNull();
    expect(runFlagsForScope("*")).toBeNull();
    expect(runFlagsForScope("stripe.*,*")).toBeNull();
  });
});

describe("tokenRunSnippet", () => {
  it("runs with the scope's prefix and a placeholder for the token", () => {
    const snippet = tokenRunSnippet("stripe.*", URL);
    expect(snippet.code).toBe(
      [
        "export PROVENANCE_URL=https://secrets.example.com",
        "export PROVENANCE_TOKEN=<your token>",
        "provenance run --prefix stripe -- <your command>",
      ].join("\n"),
    );
  });

  it("asks for a prefix when the token is unscoped", () => {
    expect(tokenRunSnippet(null, URL).code).toContain("provenance run --prefix <prefix> -- <your command>");
  });
});
