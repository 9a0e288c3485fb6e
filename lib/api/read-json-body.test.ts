import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { isJsonMediaType, readJsonBody } from "./read-json-body";

const post = (body: string, contentType?: string) =>
  new Request("http://localhost/api/x", { method: "POST", body, headers: contentType ? { "content-type": contentType } : {} });

async function failure(request: Request): Promise<AppError> {
  const error = await readJsonBody(request).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("readJsonBody's media type", () => {
  it("reads JSON sent as application/json, with parameters, as a +json type, or with no type at all", async () => {
    for (const type of ["application/json", "Application/JSON; charset=utf-8", "application/merge-patch+json"]) {
      expect(await readJsonBody(post('{"a":1}', type))).toEqual({ a: 1 });
    }
    const untyped = new Request("http://localhost/api/x", { method: "POST", body: new TextEncoder().encode('{"a":2}') });
    expect(untyped.headers.get("content-type")).toBeNull();
    expect(await readJsonBody(untyped)).toEqual({ a: 2 });
  });

  it("refuses JSON sent as text/plain or as a form with 415 unsupported_media_type, naming the type", async () => {
    const plain = await failure(post('{"a":1}', "text/plain;charset=UTF-8"));
    expect(plain.code).toBe("unsupported_media_type");
    expect(plain.message).toContain('"text/plain"');
    expect(plain.message).toContain("Content-Type: application/json");
    expect((await failure(post('{"a":1}', "application/x-www-form-urlencoded"))).code).toBe("unsupported_media_type");
    expect((await failure(post('{"a":1}', "multipart/form-data; boundary=x"))).code).toBe("unsupported_media_type");
  });

  it("takes an empty body as {} whatever its type, and still tells bad JSON from a bad type", async () => {
    expect(await readJsonBody(post("", "text/plain"))).toEqual({});
    expect((await failure(post("{nope", "application/json"))).code).toBe("invalid_json");
  });

  it("keeps control characters of a hostile type out of the message", async () => {
    const error = await failure(post("{}", "text/\u001b[2Jplain"));
    expect(error.message).not.toMatch(/\u001b/);
  });

  it("knows the JSON media types", () => {
    expect(isJsonMediaType("application/json")).toBe(true);
    expect(isJsonMediaType("application/vnd.api+json")).toBe(true);
    expect(isJsonMediaType("text/json")).toBe(false);
    expect(isJsonMediaType("application/jsonx")).toBe(false);
    expect(isJsonMediaType("")).toBe(false);
  });
});
