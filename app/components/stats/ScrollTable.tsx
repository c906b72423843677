/**
 * A data table that may be wider than a phone: it scrolls sideways inside a focusable region
 * (keyboard users can scroll it; axe's scrollable-region-focusable), with its caption and its
 * column headers. The results pages put one beside every chart.
 */
import type { ReactNode } from "react";

export function ScrollTable({
  label,
  caption,
  head,
  children,
  className,
}: {
  label: string;
  caption: ReactNode;
  head: readonly ReactNode[];
  children: ReactNode;
  className?: string;
}) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={label}>
      <table className={className}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {head.map((h, i) => (
              <th key={i} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
