/**
 * A searchable unit picker (ARIA 1.2 combobox with a listbox popup), in place of a <select> of
 * every unit: typing asks /quan-tri/don-vi/tim?q=… for at most 20 units of the user's scope, shown
 * with their kind and parent unit; ↓/↑ move through them (aria-activedescendant), Enter chooses,
 * Esc closes the list (or, closed, puts back the chosen unit), Tab leaves without choosing.
 *
 * The chosen unit's id is posted in a hidden input under `name`, the field the services read, so
 * server-side validation is unchanged. Without JavaScript (the page never hydrates), the text
 * input itself is named `<name>__ma` and is a plain field for the unit's code, prefilled with the
 * chosen unit as "CODE — name"; the action (or loader, for GET filters) reads that field first and
 * resolves the code within the user's scope (app/server/services/unit-search.server.ts). Once
 * hydrated, the text input loses its name: only the id is posted. The chosen unit is always
 * described under the field ("Đã chọn: …"), also after a reload or a validation error (the route
 * passes the unit back as `defaultValue`).
 */
import { useCallback, useEffect, useId, useRef, useState } from "react";
import { UNIT_CODE_SUFFIX, UNIT_SEARCH_PATH, typedUnitCode, unitLabel, type UnitRef } from "~/domain/unit-ref";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";
import { unitPickerUi } from "~/i18n/unit-picker";

export { UNIT_CODE_SUFFIX, UNIT_SEARCH_PATH, typedUnitCode, unitLabel, type UnitRef };

export interface UnitPickerProps {
  label: string;
  /** The form field of the unit id (e.g. "managingUnitId"). */
  name: string;
  defaultValue?: UnitRef | null;
  /** The code typed in the no-JavaScript field, shown again after an error. */
  defaultText?: string | null;
  hint?: string;
  error?: string | string[] | null;
  required?: boolean;
  /** What an empty field means, when it may stay empty (a filter: "Tất cả"; a root unit). */
  emptyLabel?: string;
  /** Search restrictions passed to the search route. */
  purpose?: "dot";
  excludeSubtreeOf?: number;
  /** Wait after the last keystroke before searching (ms). */
  debounceMs?: number;
}

type SearchState = { kind: "idle" } | { kind: "loading" } | { kind: "done"; more: boolean } | { kind: "failed" };

export function UnitPicker({ label, name, defaultValue, defaultText, hint, error, required, emptyLabel, purpose, excludeSubtreeOf, debounceMs = 200 }: UnitPickerProps) {
  const t = pick(unitPickerUi);
  const kinds = pick(admin).unitKinds;
  const id = useId();
  const listId = `${id}-list`;
  const optionId = (unitId: number) => `${id}-opt-${unitId}`;
  const [hydrated, setHydrated] = useState(false);
  const [selected, setSelected] = useState<UnitRef | null>(defaultValue ?? null);
  const [text, setText] = useState(defaultText ?? (defaultValue ? unitLabel(defaultValue) : ""));
  const [options, setOptions] = useState<UnitRef[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [search, setSearch] = useState<SearchState>({ kind: "idle" });
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inflight = useRef<AbortController | null>(null);
  const focused = useRef(false);

  useEffect(() => setHydrated(true), []);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
      inflight.current?.abort();
    },
    [],
  );
  // The route passes the unit again after a post (a validation error): show the server's view.
  const defaultId = defaultValue?.id ?? null;
  useEffect(() => {
    if (defaultValue && defaultValue.id !== selected?.id) {
      setSelected(defaultValue);
      setText(unitLabel(defaultValue));
    }
    // Only when the unit the route passes changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [defaultId]);

  const runSearch = useCallback(
    (q: string) => {
      inflight.current?.abort();
      const ctl = new AbortController();
      inflight.current = ctl;
      const params = new URLSearchParams({ q: q.trim().slice(0, 100) });
      if (purpose) params.set("muc-dich", purpose);
      if (excludeSubtreeOf != null) params.set("ngoai", String(excludeSubtreeOf));
      setSearch({ kind: "loading" });
      fetch(`${UNIT_SEARCH_PATH}?${params.toString()}`, { signal: ctl.signal, headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(async (res) => {
          if (!res.ok) throw new Error(String(res.status));
          const body = (await res.json()) as { units: UnitRef[]; more: boolean };
          if (ctl.signal.aborted) return;
          setOptions(body.units);
          setActive(-1);
          setSearch({ kind: "done", more: body.more });
          if (focused.current) setOpen(true);
        })
        .catch(() => {
          if (ctl.signal.aborted) return;
          setOptions([]);
          setSearch({ kind: "failed" });
        });
    },
    [purpose, excludeSubtreeOf],
  );

  const schedule = (q: string) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => runSearch(q), debounceMs);
  };

  const choose = (u: UnitRef) => {
    setSelected(u);
    setText(unitLabel(u));
    setOpen(false);
    setActive(-1);
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    switch (e.key) {
      case "ArrowDown":
      case "ArrowUp": {
        e.preventDefault();
        if (!open) {
          if (options.length === 0 || search.kind !== "done") runSearch(selected && text === unitLabel(selected) ? "" : text);
          setOpen(true);
          if (options.length) setActive(e.key === "ArrowDown" ? 0 : options.length - 1);
          return;
        }
        if (options.length === 0) return;
        setActive((i) => (e.key === "ArrowDown" ? (i + 1) % options.length : i <= 0 ? options.length - 1 : i - 1));
        return;
      }
      case "Enter":
        if (open && active >= 0 && options[active]) {
          e.preventDefault();
          choose(options[active]);
        } else if (open) {
          // Enter with the list open and nothing highlighted closes it instead of submitting.
          e.preventDefault();
          setOpen(false);
        }
        return;
      case "Escape":
        if (open) {
          e.preventDefault();
          setOpen(false);
          setActive(-1);
        } else if (selected) {
          setText(unitLabel(selected));
        } else if (text) {
          setText("");
        }
        return;
      case "Tab":
        setOpen(false);
        return;
    }
  };

  const onChange = (e: React.ChangeEvent<HTMLInputElement>) => {
    const v = e.target.value;
    setText(v);
    if (selected && v !== unitLabel(selected)) setSelected(null);
    schedule(v);
  };

  const onBlur = () => {
    focused.current = false;
    setOpen(false);
    setActive(-1);
    // A code typed exactly, and found, counts as chosen.
    if (!selected && text.trim()) {
      const exact = options.find((o) => o.code === text.trim() || unitLabel(o) === text.trim());
      if (exact) choose(exact);
    }
  };

  useEffect(() => {
    if (!open || active < 0 || !options[active]) return;
    const el = typeof document !== "undefined" ? document.getElementById(optionId(options[active].id)) : null;
    if (el && typeof el.scrollIntoView === "function") el.scrollIntoView({ block: "nearest" });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active, open]);

  const err = Array.isArray(error) ? error[0] : error;
  const describedBy = [`${id}-hint`, `${id}-chosen`, err ? `${id}-error` : null].filter(Boolean).join(" ");
  const activeOption = open && active >= 0 ? options[active] : undefined;
  const status =
    search.kind === "loading"
      ? t.loading
      : search.kind === "failed"
        ? t.failed
        : search.kind === "done" && open
          ? options.length
            ? t.results(options.length, search.more)
            : t.none
          : "";
  const describe = (u: UnitRef) => `${unitLabel(u)} (${kinds[u.kind]}${u.parentName ? `, ${t.under(u.parentName)}` : ""})`;

  return (
    <div className={`field unit-picker${err ? " field--error" : ""}`} style={{ position: "relative" }}>
      <label htmlFor={id}>{label}</label>
      <span className="hint" id={`${id}-hint`}>
        {hint ? `${hint} ` : ""}
        {t.hint} {hydrated ? null : t.noScriptHint}
      </span>
      <input
        id={id}
        type="text"
        role="combobox"
        name={hydrated ? undefined : name + UNIT_CODE_SUFFIX}
        value={text}
        onChange={onChange}
        onKeyDown={onKeyDown}
        onFocus={() => (focused.current = true)}
        onBlur={onBlur}
        autoComplete="off"
        spellCheck={false}
        maxLength={100}
        required={required}
        aria-required={required || undefined}
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={activeOption ? optionId(activeOption.id) : undefined}
        aria-invalid={err ? true : undefined}
        aria-describedby={describedBy}
      />
      <input type="hidden" name={name} value={selected ? String(selected.id) : ""} />
      <ul
        id={listId}
        role="listbox"
        aria-label={label}
        hidden={!open || options.length === 0}
        style={{
          position: "absolute",
          zIndex: 20,
          left: 0,
          right: 0,
          margin: 0,
          padding: 0,
          listStyle: "none",
          maxHeight: "18rem",
          overflowY: "auto",
          background: "var(--card, #fff)",
          border: "1px solid var(--line, #d5dbe1)",
          borderRadius: "var(--radius, 6px)",
          boxShadow: "0 4px 12px rgba(0, 0, 0, 0.12)",
        }}
      >
        {options.map((u, i) => (
          <li
            key={u.id}
            id={optionId(u.id)}
            role="option"
            aria-selected={i === active}
            // Keep the focus in the input: the click chooses, the blur does not close first.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(u)}
            onMouseMove={() => setActive(i)}
            style={{
              padding: "0.4rem 0.6rem",
              cursor: "pointer",
              background: i === active ? "var(--brand, #134e8e)" : undefined,
              color: i === active ? "var(--brand-ink, #fff)" : undefined,
            }}
          >
            <span>{unitLabel(u)}</span>{" "}
            <span style={{ fontSize: "0.85rem", opacity: 0.85 }}>
              · {kinds[u.kind]}
              {u.parentName ? `, ${t.under(u.parentName)}` : ""}
            </span>
          </li>
        ))}
      </ul>
      <span className="hint" id={`${id}-chosen`}>
        {selected ? t.selected(describe(selected)) : emptyLabel ? t.emptyMeans(emptyLabel) : t.noneSelected}
      </span>
      <span className="visually-hidden" role="status" aria-live="polite">
        {status}
      </span>
      {err ? (
        <p className="field-error" id={`${id}-error`}>
          {err}
        </p>
      ) : null}
    </div>
  );
}
