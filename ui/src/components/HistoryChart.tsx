import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { MetricHistory } from "../bindings";

/** One metric across takes, oldest first (uPlot: small, fast, canvas-based). */
export function HistoryChart({ history, label, highlight }: { history: MetricHistory; label: string; highlight: string | null }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const xs = history.points.map((p) => p.started_at_ms / 1000);
    const ys = history.points.map((p) => p.value);
    const current = history.points.map((p) => (p.take_id === highlight ? p.value : null));
    const plot = new uPlot(
      {
        width: box.current.clientWidth || 480,
        height: 160,
        legend: { show: false },
        scales: { x: { time: true } },
        axes: [{}, { size: 50 }],
        series: [
          {},
          { label, stroke: "#1f7a4d", width: 2, points: { size: 6 } },
          { label: "this take", stroke: "#b3261e", width: 0, points: { size: 9, fill: "#b3261e" } },
        ],
      },
      [xs, ys, current],
      box.current,
    );
    return () => plot.destroy();
  }, [history, highlight, label]);
  return <div class="chart" ref={box} data-testid={`chart-${history.id}`} data-points={history.points.length} />;
}
