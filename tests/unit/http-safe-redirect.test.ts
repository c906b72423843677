/** safeRedirect: only a same-origin path of printable ASCII survives; everything else goes home. */
import { describe, expect, it } from "vitest";
import { safeRedirect } from "~/server/request.server";

const refused: [string, unknown][] = [
  ["a tab after the slash (browsers drop it: //evil.example)", "/\t/evil.example/"],
  ["an ideographic full stop", "/。/evil.example"],
  ["CR/LF (header injection)", "/danh-gia\r\nSet-Cookie: x=1"],
  ["a bare LF", "/a\nb"],
  ["a percent-encoded tab", "/%09/evil"],
  ["a percent-encoded CR", "/%0d/evil"],
  ["an encoded slash making //", "/%2F/evil.example"],
  ["an encoded backslash", "/%5Cevil.example"],
  ["a leading backslash", "\\/evil"],
  ["slash backslash", "/\\evil"],
  ["a backslash later on", "/a\\b"],
  ["protocol-relative", "//evil.example"],
  ["protocol-relative with a path", "//evil.example/danh-gia"],
  ["absolute http", "http://evil.example/"],
  ["javascript:", "javascript:alert(1)"],
  ["relative without slash", "danh-gia/3"],
  ["a space", "/danh gia"],
  ["NUL", "/a\u0000b"],
  ["DEL", "/a\u007fb"],
  ["non-ASCII letters", "/trường"],
  ["dot segments (normalised away)", "/a/../b"],
  ["a character URL would re-encode", "/x?a=<b>"],
  ["a malformed escape", "/%zz"],
  ["empty", ""],
  ["too long", "/" + "a".repeat(3000)],
  ["null", null],
  ["undefined", undefined],
  ["a File", new File(["x"], "x.txt")],
];

const kept = ["/", "/danh-gia/3?tab=a", "/danh-gia/3/minh-chung?item=1.1#mc-1.1", "/ho-so?q=%C4%90%E1%BB%91ng%20%C4%90a&page=2", "/quan-tri/truong/12", "/login?redirectTo=%2Fdanh-gia"];

describe("safeRedirect", () => {
  for (const [label, value] of refused) {
    it(`refuses ${label}`, () => {
      expect(safeRedirect(value as string)).toBe("/");
      expect(safeRedirect(value as string, "/danh-gia")).toBe("/danh-gia");
    });
  }
  for (const value of kept) {
    it(`keeps ${value}`, () => expect(safeRedirect(value)).toBe(value));
  }
});
