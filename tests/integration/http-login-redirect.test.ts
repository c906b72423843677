/**
 * The login action with a hostile redirectTo and the right password: always a redirect home,
 * never an open redirect, never a 500 (non-ASCII or CR/LF in Location used to throw).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { action } from "~/routes/login";
import { createUnit, createUser } from "~/server/services/org.server";

useTestDatabase("http-login-redirect");

const PW = "mat-khau-dang-nhap-1";

beforeAll(async () => {
  const unit = createUnit({ kind: "province", code: "LR-P", name: "Sở GDĐT Chuyển hướng", parentId: null }, null);
  await createUser({ username: "lr.user", displayName: "Người dùng", password: PW, roles: ["office_reviewer"], unitId: unit }, null);
});

const hostile = [
  "/\t/evil.example/",
  "/。/evil.example",
  "/danh-gia\r\nSet-Cookie: x=1",
  "/\r\n",
  "/%09/evil",
  "\\/evil",
  "/\\evil",
  "//evil.example",
  "https://evil.example/",
  "/%2F/evil.example",
  "/trường",
];

describe("login redirectTo", () => {
  for (const to of hostile) {
    it(`sends ${JSON.stringify(to)} home after a good password`, async () => {
      const b = await browserAs();
      const res = await run(action, b.post("/login", { username: "lr.user", password: PW, redirectTo: to }));
      expect(res.status).toBe(302);
      expect(res.headers.get("Location")).toBe("/");
      expect(res.headers.get("Set-Cookie")).toMatch(/^cds_session=/);
    });
  }

  it("keeps a same-origin path with its query", async () => {
    const b = await browserAs();
    const res = await run(action, b.post("/login", { username: "lr.user", password: PW, redirectTo: "/danh-gia/3?tab=a" }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/danh-gia/3?tab=a");
  });
});
