/**
 * viRanks (app/server/vi-order.server.ts): the same order as the Vietnamese collator,
 * ranks kept per exact set of names, a changed set never served old ranks.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { viRanks, viRankStats } from "~/server/vi-order.server";
import { viCollator } from "~/utils/text";

const NAMES = ["Trường Tiểu học Đông Sơn 10", "Trường Tiểu học Đông Sơn 2", "Trường THCS Ánh Dương", "Trường THCS Anh Dũng", "Trường Tiểu học Âu Cơ", "Trường Tiểu học Ấu Cơ", "Trường Tiểu học Bế Văn Đàn", "Trường Tiểu học Đinh Tiên Hoàng", "Trường Tiểu học Dương Nội", "Trung tâm GDNN-GDTX Hoà Bình", "Trường THPT Lê Quý Đôn", "trường thpt lê quý đôn"];
const LETTERS = [..."aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ0123456789 -&."];

describe("Vietnamese ranks", () => {
  it("orders names exactly as the collator does, equal names sharing a rank", () => {
    const r = viRanks(NAMES);
    const byRank = [...NAMES].sort((a, b) => r.get(a)! - r.get(b)!);
    for (let i = 1; i < byRank.length; i++) expect(viCollator.compare(byRank[i - 1]!, byRank[i]!)).toBeLessThanOrEqual(0);
    expect(r.get("Trường Tiểu học Đông Sơn 2")!).toBeLessThan(r.get("Trường Tiểu học Đông Sơn 10")!);
    expect(r.get("Trường THPT Lê Quý Đôn")).toBe(r.get("trường thpt lê quý đôn"));
  });

  it("agrees with the collator on random Vietnamese names", () => {
    const name = fc.array(fc.constantFrom(...LETTERS), { minLength: 1, maxLength: 12 }).map((cs) => cs.join(""));
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 60 }), (names) => {
        const r = viRanks(names);
        for (const a of names) for (const b of names) expect(Math.sign(r.get(a)! - r.get(b)!)).toBe(Math.sign(viCollator.compare(a, b)));
      }),
      { numRuns: 200 },
    );
  });

  it("computes a set once, and another set (a school renamed) again", () => {
    const before = viRankStats().computed;
    const first = viRanks(NAMES);
    expect(viRanks([...NAMES].reverse())).toBe(first);
    expect(viRankStats().computed).toBe(before + 1);
    const renamed = NAMES.map((n) => (n === "Trường THCS Ánh Dương" ? "Trường THCS Ánh Dương Mới" : n));
    const second = viRanks(renamed);
    expect(second).not.toBe(first);
    expect(second.has("Trường THCS Ánh Dương Mới")).toBe(true);
    expect(second.has("Trường THCS Ánh Dương")).toBe(false);
    expect(viRankStats().computed).toBe(before + 2);
  });

});
