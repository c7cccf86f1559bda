/** The page's styles. */
export const FLOW_STYLES = String.raw`
:root {
  --bg: #f4f6fb;
  --card: #ffffff;
  --ink: #1d2433;
  --muted: #6b7385;
  --line: #e3e7f0;
  --command: #4f46e5;
  --command-soft: #eef0ff;
  --event: #e8871e;
  --event-soft: #fff4e6;
  --ok: #15955e;
  --warn: #c77a00;
  --bad: #d64545;
  --node: #ffffff;
  --radius: 14px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  color: var(--ink);
  background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; padding: 20px 24px 32px; }
h1 { margin: 0; font-size: 22px; letter-spacing: -0.01em; }
h2 { margin: 0 0 12px; font-size: 14px; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); }
.subtitle { margin: 4px 0 0; color: var(--muted); font-size: 14px; }
.muted { color: var(--muted); font-weight: normal; text-transform: none; letter-spacing: 0; }
.top { display: flex; justify-content: space-between; align-items: flex-end; gap: 16px; flex-wrap: wrap; margin-bottom: 18px; }
.legend { display: flex; align-items: center; gap: 18px; font-size: 13px; color: var(--muted); flex-wrap: wrap; }
.legend-item { display: inline-flex; align-items: center; gap: 6px; }
.legend-item line { stroke-width: 2.5; }
.legend-item.command line { stroke: var(--command); }
.legend-item.command path { fill: var(--command); }
.legend-item.event line { stroke: var(--event); stroke-dasharray: 5 4; }
.legend-item.event path { fill: var(--event); }
.connection { padding: 4px 10px; border-radius: 999px; font-size: 12px; font-weight: 600; background: #eceff5; color: var(--muted); }
.connection[data-connection="live"] { background: #e3f6ec; color: var(--ok); }
.connection[data-connection="live"]::before { content: ""; display: inline-block; width: 7px; height: 7px; border-radius: 50%; background: var(--ok); margin-right: 6px; animation: blink 1.6s infinite; }
.connection[data-connection="offline"] { background: #fde8e8; color: var(--bad); }
@keyframes blink { 50% { opacity: 0.3; } }

.layout { display: grid; grid-template-columns: minmax(0, 1fr) 360px; grid-template-areas: "diagram side" "log side"; gap: 18px; }
.card { background: var(--card); border-radius: var(--radius); padding: 16px 18px; box-shadow: 0 1px 2px rgba(20, 30, 60, 0.06), 0 4px 16px rgba(20, 30, 60, 0.05); }
.diagram-card { grid-area: diagram; }
.side { grid-area: side; display: flex; flex-direction: column; gap: 18px; min-width: 0; }
.log-card { grid-area: log; }
@media (max-width: 980px) {
  .layout { grid-template-columns: 1fr; grid-template-areas: "diagram" "side" "log"; }
}

#diagram { width: 100%; height: auto; display: block; }
.node circle.halo { fill: none; stroke: transparent; stroke-width: 10; }
.node circle.body { fill: var(--node); stroke: #cfd6e4; stroke-width: 2; filter: drop-shadow(0 2px 6px rgba(20, 30, 60, 0.12)); transition: stroke 0.3s; }
.node text.name { font-size: 14px; font-weight: 650; text-anchor: middle; fill: var(--ink); }
.node text.counts { font-size: 11px; text-anchor: middle; fill: var(--muted); }
.node.receiving circle.body { stroke: var(--ink); }
.node.receiving.by-command circle.halo { stroke: rgba(79, 70, 229, 0.18); animation: halo 0.7s ease-out; }
.node.receiving.by-event circle.halo { stroke: rgba(232, 135, 30, 0.22); animation: halo 0.7s ease-out; }
@keyframes halo { from { stroke-width: 2; } to { stroke-width: 18; } }

.flow { animation: flow-fade 2.4s ease-in forwards; }
.flow text.label, .flow path.wire { transition: opacity 0.25s; }
.flow.superseded text.label { opacity: 0; }
.flow.superseded path.wire { opacity: 0.35; }
@keyframes flow-fade { 0%, 70% { opacity: 1; } 100% { opacity: 0; } }
.flow path.wire { fill: none; stroke-width: 2.5; stroke-linecap: round; }
.flow.command path.wire { stroke: var(--command); stroke-dasharray: var(--length); stroke-dashoffset: var(--length); animation: draw 0.8s ease-out forwards; }
.flow.event path.wire { stroke: var(--event); stroke-dasharray: 6 5; opacity: 0; animation: appear 0.35s ease-out forwards; }
@keyframes draw { to { stroke-dashoffset: 0; } }
@keyframes appear { to { opacity: 1; } }
.flow circle.packet { stroke: #fff; stroke-width: 2; }
.flow.command circle.packet { fill: var(--command); }
.flow.event circle.packet { fill: var(--event); }
.flow circle.ripple { fill: none; stroke: var(--event); stroke-width: 2; animation: ripple 0.9s ease-out forwards; }
@keyframes ripple { from { opacity: 0.8; } to { opacity: 0; r: 86px; } }
.flow text.label { font-size: 12px; font-weight: 600; paint-order: stroke; stroke: #fff; stroke-width: 4px; stroke-linejoin: round; }
.flow.command text.label { fill: var(--command); }
.flow.event text.label { fill: #b25f00; }
#arrow-command path { fill: var(--command); }
#arrow-event path { fill: var(--event); }
.note { font-size: 12px; color: var(--muted); margin: 6px 0 0; }

form { display: flex; flex-direction: column; gap: 10px; }
.outcomes { border: 0; padding: 0; margin: 0; display: flex; gap: 6px; flex-wrap: wrap; }
.outcomes legend { font-size: 12px; color: var(--muted); margin-bottom: 6px; }
.outcomes label { display: inline-flex; align-items: center; gap: 5px; padding: 5px 10px; border: 1px solid var(--line); border-radius: 999px; font-size: 13px; cursor: pointer; }
.outcomes label:has(input:checked) { border-color: var(--command); background: var(--command-soft); color: var(--command); }
.outcomes input { margin: 0; }
.fields { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 10px; }
.fields label { min-width: 0; display: flex; flex-direction: column; gap: 3px; font-size: 12px; color: var(--muted); }
.fields input { font: inherit; font-size: 14px; color: var(--ink); padding: 6px 8px; border: 1px solid var(--line); border-radius: 8px; width: 100%; }
.fields input:focus { outline: 2px solid var(--command-soft); border-color: var(--command); }
.hint { font-size: 12px; color: var(--muted); margin: 0; min-height: 1em; }
button { font: inherit; font-weight: 600; color: #fff; background: var(--command); border: 0; border-radius: 9px; padding: 9px 14px; cursor: pointer; }
button:disabled { opacity: 0.5; cursor: default; }
.form-result { font-size: 13px; margin: 0; min-height: 1.2em; overflow-wrap: anywhere; }
.form-result.error { color: var(--bad); }

.orders { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; max-height: 420px; overflow: auto; }
.order { border: 1px solid var(--line); border-radius: 10px; padding: 8px 10px; display: grid; grid-template-columns: 1fr auto; gap: 4px 8px; align-items: center; animation: appear 0.3s ease-out; }
.order.placed-here { border-color: #c9cdf7; }
.order .id { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
.order .detail { font-size: 12px; color: var(--muted); grid-column: 1 / -1; }
.order .path { grid-column: 1 / -1; display: flex; gap: 4px; flex-wrap: wrap; align-items: center; font-size: 11px; color: var(--muted); }
.order .path .step::after { content: "→"; margin-left: 4px; color: #b8bfcd; }
.order .path .step:last-child::after { content: ""; }
.status { font-size: 11px; font-weight: 700; letter-spacing: 0.04em; padding: 3px 8px; border-radius: 999px; background: #eceff5; color: var(--muted); }
.status[data-status="PENDING"] { background: #eef0ff; color: var(--command); }
.status[data-status="PAID"] { background: #e6f3ff; color: #1c6fb8; }
.status[data-status="COMPLETED"] { background: #e3f6ec; color: var(--ok); }
.status[data-status="REFUNDING"] { background: #fff4e0; color: var(--warn); }
.status[data-status="CANCELLED"] { background: #fde8e8; color: var(--bad); }
.empty { color: var(--muted); font-size: 13px; margin: 4px 0 0; }

.log { list-style: none; margin: 0; padding: 0; max-height: 260px; overflow: auto; font-size: 13px; }
.log li { display: grid; grid-template-columns: 92px 78px minmax(140px, 1fr) minmax(160px, 1.4fr) 110px; gap: 10px; padding: 5px 4px; border-bottom: 1px solid var(--line); align-items: center; animation: appear 0.3s ease-out; }
.log .time, .log .order-ref { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; color: var(--muted); }
.log .kind { font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: 0.05em; text-align: center; border-radius: 6px; padding: 2px 0; }
.log .kind.command { background: var(--command-soft); color: var(--command); }
.log .kind.event { background: var(--event-soft); color: #b25f00; }
.log .name { font-weight: 600; }
.log .route { color: var(--muted); }
`;
