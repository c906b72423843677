/**
 * readSmallForm: a too-big form is a 413 in the caller's words, and the connection is left usable:
 * the rest of the body is read and thrown away when it is short, or the answer says
 * `Connection: close` when it is long (or was declared too long, then nothing is read at all).
 * Never more than about twice the cap is held or read.
 */
import { describe, expect, it } from "vitest";
import { readSmallForm } from "~/server/forms.server";

const MSG = "Tệp quá lớn (tối đa 4 KB).";
const MAX = 4096;
const CAP = MAX * 2 + 64 * 1024;

interface Tracked {
  request: Request;
  pulled: () => number;
  ended: () => boolean;
  cancelled: () => boolean;
}

/** A POST whose body is produced on demand: head, `size` bytes of "x" in 16 KB chunks, tail. */
function tracked(type: string, head: string, size: number, tail: string, headers: Record<string, string> = {}): Tracked {
  const enc = new TextEncoder();
  const parts = [enc.encode(head)];
  const block = enc.encode("x".repeat(16 * 1024));
  for (let left = size; left > 0; left -= block.length) parts.push(left >= block.length ? block : block.subarray(0, left));
  parts.push(enc.encode(tail));
  let i = 0;
  let pulled = 0;
  let ended = false;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (i >= parts.length) {
        ended = true;
        return c.close();
      }
      pulled += parts[i].length;
      c.enqueue(parts[i++]);
    },
    cancel() {
      cancelled = true;
    },
  }, { highWaterMark: 0 }); // nothing is produced until someone reads
  const request = new Request("http://localhost/quan-tri/truong/nhap", {
    method: "POST",
    headers: { "Content-Type": type, ...headers },
    body,
    duplex: "half",
  } as RequestInit & { duplex: "half" });
  return { request, pulled: () => pulled, ended: () => ended, cancelled: () => cancelled };
}

const B = "----cds-unit";
const multipart = (size: number, headers?: Record<string, string>) =>
  tracked(
    `multipart/form-data; boundary=${B}`,
    `--${B}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\nabc\r\n--${B}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    size,
    `\r\n--${B}--\r\n`,
    headers,
  );
const urlencoded = (size: number) => tracked("application/x-www-form-urlencoded", "_csrf=abc&text=", size, "&intent=preview");

async function refusal(p: Promise<unknown>): Promise<Response> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
  throw new Error("readSmallForm accepted a form that is too big");
}

describe("readSmallForm", () => {
  it("reads a small multipart and a small urlencoded form", async () => {
    const m = await readSmallForm(multipart(1000).request, MAX, MSG);
    expect(m.get("_csrf")).toBe("abc");
    expect(await (m.get("file") as File).text()).toBe("x".repeat(1000));
    const u = await readSmallForm(urlencoded(1000).request, MAX, MSG);
    expect(u.get("text")).toBe("x".repeat(1000));
    expect(u.get("intent")).toBe("preview");
  });

  it("a part over the limit: 413 in the caller's words, after draining the short rest of the body", async () => {
    const t = multipart(20 * 1024);
    const res = await refusal(readSmallForm(t.request, MAX, MSG));
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: MSG });
    expect(res.headers.get("Connection")).toBeNull();
    expect(t.ended()).toBe(true); // the whole body was read: the connection can carry the next request
  });

  it("a long body: 413 with Connection: close, having read no more than about twice the cap", async () => {
    const t = multipart(4 * 1024 * 1024);
    const res = await refusal(readSmallForm(t.request, MAX, MSG));
    expect(res.status).toBe(413);
    expect(res.headers.get("Connection")).toBe("close");
    expect(t.ended()).toBe(false);
    expect(t.cancelled()).toBe(true);
    expect(t.pulled()).toBeLessThan(2 * CAP + 64 * 1024);
  });

  it("a declared length over the cap: 413 with Connection: close, and not a byte read", async () => {
    const t = multipart(10, { "Content-Length": String(10 * 1024 * 1024) });
    const res = await refusal(readSmallForm(t.request, MAX, MSG));
    expect(res.status).toBe(413);
    expect(res.headers.get("Connection")).toBe("close");
    expect(t.pulled()).toBe(0);
  });

  it("bounds urlencoded forms too (they used to be read whole)", async () => {
    const short = urlencoded(CAP + 10 * 1024);
    const r1 = await refusal(readSmallForm(short.request, MAX, MSG));
    expect(r1.status).toBe(413);
    expect(r1.headers.get("Connection")).toBeNull();
    expect(short.ended()).toBe(true);

    const long = urlencoded(8 * 1024 * 1024);
    const r2 = await refusal(readSmallForm(long.request, MAX, MSG));
    expect(r2.status).toBe(413);
    expect(r2.headers.get("Connection")).toBe("close");
    expect(long.pulled()).toBeLessThan(2 * CAP + 64 * 1024);
  });
});
