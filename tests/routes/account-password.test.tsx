// @vitest-environment jsdom
/**
 * Accounts in the UI: the change-password page, the "Đổi mật khẩu" link of the shell, and the last
 * sign-in (dd/mm/yyyy HH:mm, Hà Nội time) with the must-change flag in the users list and detail.
 */
import { createRemixStub } from "@remix-run/testing";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { json } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { afterEach, describe, expect, it } from "vitest";
import { AppShell } from "~/components/AppShell";
import ChangePassword from "~/routes/tai-khoan.mat-khau";
import UsersList from "~/routes/quan-tri.nguoi-dung._index";
import EditUser from "~/routes/quan-tri.nguoi-dung.$id";

afterEach(cleanup);

const shellUser = { displayName: "Lê Thị Mai", username: "truong.th1", roles: ["school_head" as const], nav: [] };

function stub(path: string, Component: () => JSX.Element, loader: () => Response, action?: () => Response | null) {
  return createRemixStub([
    {
      id: "root",
      path: "/",
      loader: () => json({ csrf: "token-123", user: shellUser }),
      Component: () => (
        <AppShell user={shellUser}>
          <Outlet />
        </AppShell>
      ),
      children: [{ path, Component, loader, action: action ?? (() => null) }],
    },
  ]);
}

describe("change-password page", () => {
  it("has three labelled password fields, the CSRF token, and the must-change notice", async () => {
    const Stub = stub("tai-khoan/mat-khau", ChangePassword, () => json({ mustChange: true, redirectTo: "/danh-gia", changed: false }));
    const { container } = render(<Stub initialEntries={["/tai-khoan/mat-khau"]} />);
    const current = await screen.findByLabelText("Mật khẩu hiện tại");
    expect(current.getAttribute("type")).toBe("password");
    expect(current.getAttribute("autocomplete")).toBe("current-password");
    expect(screen.getByLabelText("Mật khẩu mới").getAttribute("autocomplete")).toBe("new-password");
    expect(screen.getByLabelText("Nhập lại mật khẩu mới").getAttribute("name")).toBe("confirmPassword");
    expect((container.querySelector('input[name="_csrf"]') as HTMLInputElement).value).toBe("token-123");
    expect((container.querySelector('input[name="redirectTo"]') as HTMLInputElement).value).toBe("/danh-gia");
    expect(screen.getByText("Quản trị đã đặt mật khẩu cho tài khoản của bạn. Hãy chọn mật khẩu của riêng bạn trước khi tiếp tục.")).toBeTruthy();
    // The shell offers the page to every signed-in user.
    expect(screen.getByRole("link", { name: "Đổi mật khẩu" }).getAttribute("href")).toBe("/tai-khoan/mat-khau");
  });

  it("shows the server's field error beside its field", async () => {
    const Stub = stub(
      "tai-khoan/mat-khau",
      ChangePassword,
      () => json({ mustChange: false, redirectTo: "/", changed: false }),
      () => json({ status: "error", initialValue: {}, error: { currentPassword: ["Mật khẩu hiện tại không đúng."] } }, { status: 400 }),
    );
    render(<Stub initialEntries={["/tai-khoan/mat-khau"]} />);
    fireEvent.change(await screen.findByLabelText("Mật khẩu hiện tại"), { target: { value: "sai-mat-khau" } });
    fireEvent.change(screen.getByLabelText("Mật khẩu mới"), { target: { value: "mat-khau-moi-dai" } });
    fireEvent.change(screen.getByLabelText("Nhập lại mật khẩu mới"), { target: { value: "mat-khau-moi-dai" } });
    fireEvent.click(screen.getByRole("button", { name: "Đổi mật khẩu" }));
    expect(await screen.findByText("Mật khẩu hiện tại không đúng.")).toBeTruthy();
  });

  it("validates in the browser, in Vietnamese: too short and not matching", async () => {
    const Stub = stub("tai-khoan/mat-khau", ChangePassword, () => json({ mustChange: false, redirectTo: "/", changed: false }));
    render(<Stub initialEntries={["/tai-khoan/mat-khau"]} />);
    fireEvent.change(await screen.findByLabelText("Mật khẩu hiện tại"), { target: { value: "hien-tai-123" } });
    fireEvent.change(screen.getByLabelText("Mật khẩu mới"), { target: { value: "ngan" } });
    fireEvent.change(screen.getByLabelText("Nhập lại mật khẩu mới"), { target: { value: "khac" } });
    fireEvent.click(screen.getByRole("button", { name: "Đổi mật khẩu" }));
    expect(await screen.findByText("Mật khẩu mới cần ít nhất 10 ký tự.")).toBeTruthy();
  });
});

describe("users admin: last sign-in", () => {
  const rows = [
    { id: 3, username: "truong.th1", displayName: "Lê Thị Mai", active: true, roles: ["school_head"], unitName: null, schoolCode: "T1", schoolName: "Trường Một", lastLoginAt: "2026-11-23T01:30:00.000Z", mustChangePassword: false, canManage: true },
    { id: 4, username: "gv.moi", displayName: "Giáo viên mới", active: true, roles: ["school_staff"], unitName: null, schoolCode: "T1", schoolName: "Trường Một", lastLoginAt: null, mustChangePassword: true, canManage: true },
  ];

  it("the list shows dd/mm/yyyy HH:mm in Hà Nội time, or Chưa đăng nhập, and who must change their password", async () => {
    const Stub = stub("quan-tri/nguoi-dung", UsersList, () =>
      json({ list: { rows, page: 1, pageCount: 1, pageSize: 20, total: 2, sortedBy: "name" }, q: "", canCreate: true }),
    );
    render(<Stub initialEntries={["/quan-tri/nguoi-dung"]} />);
    const mai = (await screen.findByRole("link", { name: "truong.th1" })).closest("tr")!;
    expect(within(mai).getByText("23/11/2026 08:30")).toBeTruthy();
    const moi = screen.getByRole("link", { name: "gv.moi" }).closest("tr")!;
    expect(within(moi).getByText("Chưa đăng nhập")).toBeTruthy();
    expect(moi.textContent).toContain("Phải đổi mật khẩu ở lần đăng nhập tới");
    expect(mai.textContent).not.toContain("Phải đổi mật khẩu");
  });

  it("the detail shows the last sign-in and the flag", async () => {
    const Stub = stub("quan-tri/nguoi-dung/:id", EditUser, () =>
      json({
        account: { id: 4, username: "gv.moi", displayName: "Giáo viên mới", roles: ["school_staff"], unitId: null, schoolCode: "T1", active: true, lastLoginAt: "2026-01-05T16:59:00.000Z", mustChangePassword: true },
        grantable: ["school_staff"],
        units: [],
      }),
    );
    render(<Stub initialEntries={["/quan-tri/nguoi-dung/4"]} />);
    const line = (await screen.findByText("gv.moi")).closest("p")!;
    expect(line.textContent).toContain("Đăng nhập gần nhất: 05/01/2026 23:59");
    expect(line.textContent).toContain("Phải đổi mật khẩu ở lần đăng nhập tới");
  });
});
