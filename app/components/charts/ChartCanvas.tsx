/**
 * A chart.js chart, drawn in the browser only (chart.js is loaded on first use). Every chart on a
 * page has its data table beside or under it (the caller renders it): the canvas is a picture of
 * that table, labelled for screen readers by `label`, and the table is what prints reliably and
 * what keyboard and screen-reader users read.
 *
 * `config` is a plain chart.js configuration (type, data, options) built by the caller from the
 * loader's figures; Vietnamese labels come with it. Colours: the palette below has contrast on
 * white and stays distinguishable in grey print.
 */
import { useEffect, useRef } from "react";
import type { ChartConfiguration } from "chart.js";

export const LEVEL_COLOURS = ["#b45309", "#2563eb", "#15803d"] as const;
export const SERIES_COLOURS = ["#1d4ed8", "#b45309", "#15803d", "#7c3aed", "#be123c", "#0f766e"] as const;

export function ChartCanvas({ config, label, height = 260 }: { config: ChartConfiguration; label: string; height?: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const key = JSON.stringify(config);
  useEffect(() => {
    let chart: { destroy(): void } | null = null;
    let cancelled = false;
    void import("chart.js/auto").then(({ default: Chart }) => {
      if (cancelled || !ref.current) return;
      const cfg = JSON.parse(key) as ChartConfiguration;
      cfg.options = { responsive: true, maintainAspectRatio: false, animation: false, ...(cfg.options ?? {}) };
      chart = new Chart(ref.current, cfg);
    });
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [key]);
  return (
    <div className="chart-box" style={{ height }}>
      <canvas ref={ref} role="img" aria-label={label} height={height} data-testid="chart">
        {label}
      </canvas>
    </div>
  );
}
