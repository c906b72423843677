import { useId } from "react";

interface FieldProps extends Omit<React.InputHTMLAttributes<HTMLInputElement>, "id"> {
  label: string;
  name: string;
  hint?: string;
  error?: string | string[] | null;
}

/** A labelled input with its hint and its error, announced to screen readers. */
export function Field({ label, name, hint, error, type = "text", ...rest }: FieldProps) {
  const id = useId();
  const err = Array.isArray(error) ? error[0] : error;
  const describedBy = [hint ? `${id}-hint` : null, err ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${err ? " field--error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      <input id={id} name={name} type={type} aria-invalid={err ? true : undefined} aria-describedby={describedBy} {...rest} />
      {err ? (
        <p className="field-error" id={`${id}-error`}>
          {err}
        </p>
      ) : null}
    </div>
  );
}

interface SelectProps extends Omit<React.SelectHTMLAttributes<HTMLSelectElement>, "id"> {
  label: string;
  name: string;
  hint?: string;
  error?: string | string[] | null;
  options: { value: string; label: string }[];
  placeholder?: string;
}

export function SelectField({ label, name, hint, error, options, placeholder, ...rest }: SelectProps) {
  const id = useId();
  const err = Array.isArray(error) ? error[0] : error;
  const describedBy = [hint ? `${id}-hint` : null, err ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${err ? " field--error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      <select id={id} name={name} aria-invalid={err ? true : undefined} aria-describedby={describedBy} {...rest}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {err ? (
        <p className="field-error" id={`${id}-error`}>
          {err}
        </p>
      ) : null}
    </div>
  );
}
