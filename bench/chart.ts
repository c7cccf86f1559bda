/** Inline SVG charts, so the HTML report is one file that opens anywhere, offline. */

export interface Series {
  readonly name: string;
  /** [x, y]; a null y leaves a gap. */
  readonly points: ReadonlyArray<readonly [number, number | null]>;
}

export interface ChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  readonly width?: number;
  readonly height?: number;
}

const COLORS = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#17becf',
  '#bcbd22',
];
const LEGEND_COLUMN = 170;
const BASE_MARGIN = { top: 44, right: 16, bottom: 40, left: 64 };

export function lineChart(options: ChartOptions): string {
  const width = options.width ?? 900;
  const perRow = Math.max(1, Math.floor((width - BASE_MARGIN.left) / LEGEND_COLUMN));
  const legendRows = Math.ceil(options.series.length / perRow);
  // Room above the plot for as many legend rows as the series need.
  const MARGIN = { ...BASE_MARGIN, top: BASE_MARGIN.top + (legendRows - 1) * 14 };
  const height = (options.height ?? 280) + (legendRows - 1) * 14;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const all = options.series.flatMap((s) => s.points);
  const xs = all.map(([x]) => x);
  const ys = all.flatMap(([, y]) => (y === null ? [] : [y]));
  const xMax = niceCeil(xs.reduce((a, b) => Math.max(a, b), 1));
  const yMax = niceCeil(ys.reduce((a, b) => Math.max(a, b), 1));
  const sx = (x: number) => MARGIN.left + (x / xMax) * plotW;
  const sy = (y: number) => MARGIN.top + plotH - (y / yMax) * plotH;

  const grid = ticks(yMax)
    .map(
      (y) =>
        `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${sy(y)}" y2="${sy(y)}" stroke="#e5e5e5"/>` +
        `<text x="${MARGIN.left - 6}" y="${sy(y) + 4}" text-anchor="end">${format(y)}</text>`,
    )
    .join('');
  const xTicks = ticks(xMax)
    .map(
      (x) =>
        `<line x1="${sx(x)}" x2="${sx(x)}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH + 4}" stroke="#999"/>` +
        `<text x="${sx(x)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${format(x)}</text>`,
    )
    .join('');
  const lines = options.series
    .map((series, index) => {
      const color = COLORS[index % COLORS.length] as string;
      return `<path d="${path(series.points, sx, sy)}" fill="none" stroke="${color}" stroke-width="1.6"/>`;
    })
    .join('');
  const legend = options.series
    .map((series, index) => {
      const color = COLORS[index % COLORS.length] as string;
      const x = MARGIN.left + 8 + (index % perRow) * LEGEND_COLUMN;
      const y = 30 + Math.floor(index / perRow) * 14;
      return (
        `<rect x="${x}" y="${y - 9}" width="10" height="10" fill="${color}"/>` +
        `<text x="${x + 14}" y="${y}">${escapeXml(series.name)}</text>`
      );
    })
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 16}" font-family="sans-serif" font-size="11">`,
    `<text x="${width / 2}" y="14" text-anchor="middle" font-size="13" font-weight="bold">${escapeXml(options.title)}</text>`,
    grid,
    xTicks,
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#999"/>`,
    `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH}" stroke="#999"/>`,
    lines,
    legend,
    `<text x="${MARGIN.left + plotW / 2}" y="${height + 8}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    `<text transform="translate(14 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`,
    '</svg>',
  ].join('');
}

/** A gap (null) ends a segment: the line does not pretend to know what happened there. */
function path(
  points: ReadonlyArray<readonly [number, number | null]>,
  sx: (x: number) => number,
  sy: (y: number) => number,
): string {
  let d = '';
  let drawing = false;
  for (const [x, y] of points) {
    if (y === null) {
      drawing = false;
      continue;
    }
    d += `${drawing ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`;
    drawing = true;
  }
  return d;
}

function niceCeil(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function ticks(max: number): number[] {
  return Array.from({ length: 6 }, (_, i) => (max * i) / 5);
}

function format(value: number): string {
  if (value >= 10_000) return `${Math.round(value / 1_000)}k`;
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
