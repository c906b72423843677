import { useId } from "react";

interface CheckboxGroupProps {
  legend: string;
  name: string;
  options: { value: string; label: string }[];
  defaultValue?: string[];
  hint?: string;
  error?: string | string[] | null;
}

/** A fieldset of checkboxes sharing one name (a multi-valued field), with its hint and error. */
export function CheckboxGroup({ legend, name, options, defaultValue = [], hint, error }: CheckboxGroupProps) {
  const id = useId();
  const err = Array.isArray(error) ? error[0] : error;
  const describedBy = [hint ? `${id}-hint` : null, err ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <fieldset className={`field${err ? " field--error" : ""}`} aria-describedby={describedBy} aria-invalid={err ? true : undefined}>
      <legend>{legend}</legend>
      {hint ? (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {options.map((o) => (
        <div className="checkbox" key={o.value}>
          <input type="checkbox" id={`${id}-${o.value}`} name={name} value={o.value} defaultChecked={defaultValue.includes(o.value)} />
          <label htmlFor={`${id}-${o.value}`}>{o.label}</label>
        </div>
      ))}
      {err ? (
        <p className="field-error" id={`${id}-error`}>
          {err}
        </p>
      ) : null}
    </fieldset>
  );
}

interface CheckboxProps {
  label: string;
  name: string;
  defaultChecked?: boolean;
  hint?: string;
}

/** One labelled checkbox (value "on"). */
export function Checkbox({ label, name, defaultChecked, hint }: CheckboxProps) {
  const id = useId();
  return (
    <div className="field">
      <div className="checkbox">
        <input type="checkbox" id={id} name={name} defaultChecked={defaultChecked} aria-describedby={hint ? `${id}-hint` : undefined} />
        <label htmlFor={id}>{label}</label>
      </div>
      {hint ? (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}
