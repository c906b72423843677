/** handleError: one line for a 4xx (an unknown URL), the stack for a real error, nothing for an aborted request. */
import { describe, expect, it, vi } from "vitest";
import { handleError } from "~/server/http/errors.server";

const log = () => ({ warn: vi.fn(), error: vi.fn() });
/** The shape of Remix's error response (as its router builds it), with the error it wraps. */
const errorResponse = (status: number, statusText: string, error: Error) => ({ status, statusText, internal: true, data: error.toString(), error });

describe("handleError", () => {
  it("an unknown URL (Remix's 404 with its internal error) is one line, no stack", () => {
    const l = log();
    const notFound = errorResponse(404, "Not Found", new Error('No route matches URL "/khong-co"'));
    handleError(notFound, { request: new Request("http://localhost/khong-co?x=1") }, l);
    expect(l.warn).toHaveBeenCalledTimes(1);
    expect(l.warn).toHaveBeenCalledWith("404 GET /khong-co");
    expect(l.error).not.toHaveBeenCalled();
  });

  it("a real error keeps its stack; an internal 500 logs what it wraps", () => {
    const l = log();
    const e = new Error("hỏng");
    handleError(e, { request: new Request("http://localhost/a") }, l);
    expect(l.error).toHaveBeenCalledWith(e);
    const inner = new Error("bên trong");
    handleError(errorResponse(500, "Internal", inner), { request: new Request("http://localhost/b", { method: "POST", body: "x" }) }, l);
    expect(l.error).toHaveBeenLastCalledWith(inner);
    expect(l.warn).not.toHaveBeenCalled();
  });

  it("a request the client gave up on logs nothing", () => {
    const l = log();
    const c = new AbortController();
    c.abort();
    handleError(new Error("x"), { request: new Request("http://localhost/a", { signal: c.signal }) }, l);
    expect(l.warn).not.toHaveBeenCalled();
    expect(l.error).not.toHaveBeenCalled();
  });
});
