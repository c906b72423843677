// @vitest-environment jsdom
/** The login page rendered through Remix's router stub: labels, errors and the CSRF field. */
import { createRemixStub } from "@remix-run/testing";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { json } from "@remix-run/node";
import { afterEach, describe, expect, it } from "vitest";
import Login from "~/routes/login";

afterEach(cleanup);

function stub(action?: () => Response | null) {
  return createRemixStub([
    {
      id: "root",
      path: "/",
      loader: () => json({ csrf: "token-123", user: null }),
      children: [
        {
          path: "login",
          Component: Login,
          loader: () => json({ redirectTo: "/", expired: false, loggedOut: false }),
          action: action ?? (() => null),
        },
      ],
    },
  ]);
}

describe("login page", () => {
  it("has a labelled user name and password, and carries the CSRF token", async () => {
    const Stub = stub();
    const { container } = render(<Stub initialEntries={["/login"]} />);
    const username = await screen.findByLabelText("Tên đăng nhập");
    const password = screen.getByLabelText("Mật khẩu");
    expect(username.getAttribute("name")).toBe("username");
    expect(password.getAttribute("type")).toBe("password");
    expect(password.getAttribute("name")).toBe("password");
    const csrf = container.querySelector('input[name="_csrf"]') as HTMLInputElement;
    expect(csrf.value).toBe("token-123");
    expect(screen.getByRole("button", { name: "Đăng nhập" })).toBeTruthy();
    // The public catalogue is one link away, without an account.
    expect(screen.getByRole("link", { name: /Xem bộ chỉ số/ }).getAttribute("href")).toBe("/chi-so");
  });

  it("shows the server's refusal as an alert", async () => {
    const Stub = stub(() =>
      json({ status: "error", initialValue: { username: "x" }, error: { "": ["Tên đăng nhập hoặc mật khẩu không đúng."] } }, { status: 401 }),
    );
    render(<Stub initialEntries={["/login"]} />);
    fireEvent.change(await screen.findByLabelText("Tên đăng nhập"), { target: { value: "x" } });
    fireEvent.change(screen.getByLabelText("Mật khẩu"), { target: { value: "y" } });
    fireEvent.click(screen.getByRole("button", { name: "Đăng nhập" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("Tên đăng nhập hoặc mật khẩu không đúng.");
  });

  it("validates empty fields in the browser, in Vietnamese, without posting", async () => {
    let posted = false;
    const Stub = stub(() => {
      posted = true;
      return null;
    });
    render(<Stub initialEntries={["/login"]} />);
    fireEvent.click(await screen.findByRole("button", { name: "Đăng nhập" }));
    await waitFor(() => expect(screen.getByText("Vui lòng nhập tên đăng nhập.")).toBeTruthy());
    expect(screen.getByText("Vui lòng nhập mật khẩu.")).toBeTruthy();
    expect(posted).toBe(false);
  });
});
