/**
 * The diagram: the apps as nodes, each message drawn along its route, one
 * after the other. A command is one arrow to its one receiver; an event fans
 * out to every subscriber.
 */
import type { FlowMessage, MessageKind } from '../flow-wire.js';
import { byId, svg } from './dom.js';
import { routes } from './routes.js';

interface Point {
  readonly x: number;
  readonly y: number;
}

interface AppNode {
  readonly app: string;
  readonly position: Point;
  readonly group: SVGGElement;
  readonly counts: SVGTextElement;
  sent: number;
  received: number;
}

const VIEW = { width: 760, height: 460, radius: 56 };
const BEND: Record<MessageKind, number> = { command: 20, event: 36 };
/** Milliseconds between two drawn messages, so a saga reads as a sequence. */
const STAGGER_MS = 280;
const TRAVEL_MS = 800;
const FLOW_LIFETIME_MS = 2400;
const MAX_QUEUED = 30;

const diagram = byId<SVGSVGElement>('diagram');
const nodes = new Map<string, AppNode>();
const queue: FlowMessage[] = [];
let drawing = false;

export function drawNodes(apps: readonly string[]): void {
  const defs = svg('defs', {}, diagram);
  for (const kind of ['command', 'event'] as const) {
    const marker = svg(
      'marker',
      {
        id: `arrow-${kind}`,
        viewBox: '0 0 10 10',
        refX: 8,
        refY: 5,
        markerWidth: 9,
        markerHeight: 9,
        markerUnits: 'userSpaceOnUse',
        orient: 'auto-start-reverse',
      },
      defs,
    );
    svg('path', { d: 'M0,0 L10,5 L0,10 z' }, marker);
  }
  svg('g', { id: 'flows' }, diagram);
  const layer = svg('g', { id: 'nodes' }, diagram);
  const centre = { x: VIEW.width / 2, y: VIEW.height / 2 };
  const spread = { x: VIEW.width / 2 - VIEW.radius - 40, y: VIEW.height / 2 - VIEW.radius - 44 };
  apps.forEach((app, index) => {
    // Evenly around an ellipse, the first app on the left.
    const angle = Math.PI + (2 * Math.PI * index) / apps.length;
    const position = {
      x: centre.x + spread.x * Math.cos(angle),
      y: centre.y + spread.y * Math.sin(angle),
    };
    const group = svg(
      'g',
      { class: 'node', 'data-app': app, transform: `translate(${position.x},${position.y})` },
      layer,
    );
    svg('circle', { class: 'halo', r: VIEW.radius + 4 }, group);
    svg('circle', { class: 'body', r: VIEW.radius }, group);
    svg('text', { class: 'name', y: -2 }, group).textContent = app;
    const counts = svg('text', { class: 'counts', y: 16 }, group);
    const node: AppNode = { app, position, group, counts, sent: 0, received: 0 };
    nodes.set(app, node);
    updateCounts(node);
  });
}

function updateCounts(node: AppNode): void {
  node.counts.textContent = `${node.sent} out · ${node.received} in`;
}

function unit(from: Point, to: Point): Point {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const length = Math.hypot(dx, dy) || 1;
  return { x: dx / length, y: dy / length };
}

/** A gentle curve bent to the right of travel, so the two directions between two apps never overlap. */
function wire(from: Point, to: Point, bend: number): { d: string; middle: Point } {
  const along = unit(from, to);
  const control = {
    x: (from.x + to.x) / 2 - along.y * bend,
    y: (from.y + to.y) / 2 + along.x * bend,
  };
  const out = unit(from, control);
  const back = unit(to, control);
  const start = { x: from.x + out.x * (VIEW.radius + 2), y: from.y + out.y * (VIEW.radius + 2) };
  const end = { x: to.x + back.x * (VIEW.radius + 6), y: to.y + back.y * (VIEW.radius + 6) };
  const middle = {
    x: 0.25 * start.x + 0.5 * control.x + 0.25 * end.x,
    y: 0.25 * start.y + 0.5 * control.y + 0.25 * end.y,
  };
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    d: `M${round(start.x)},${round(start.y)} Q${round(control.x)},${round(control.y)} ${round(end.x)},${round(end.y)}`,
    middle,
  };
}

function packet(group: SVGGElement, d: string): void {
  const dot = svg('circle', { class: 'packet', r: 6, cx: 0, cy: 0 }, group);
  const motion = svg(
    'animateMotion',
    {
      dur: `${TRAVEL_MS}ms`,
      fill: 'freeze',
      path: d,
      begin: 'indefinite',
      calcMode: 'spline',
      keyTimes: '0;1',
      keySplines: '0.4 0 0.2 1',
    },
    dot,
  );
  motion.beginElement();
}

function arrive(apps: readonly string[], kind: MessageKind): void {
  setTimeout(() => {
    for (const app of apps) {
      const node = nodes.get(app);
      if (!node) continue;
      node.group.classList.add('receiving', `by-${kind}`);
      setTimeout(() => node.group.classList.remove('receiving', `by-${kind}`), 700);
    }
  }, TRAVEL_MS);
}

/** A command: one arrow to its one receiver. An event: a fan-out to every subscriber. */
function drawFlow(message: FlowMessage): void {
  const route = routes.get(message.name);
  const origin = route && nodes.get(route.from[0] ?? '');
  if (!route || !origin) return;
  const flows = byId<SVGGElement>('flows');
  // Earlier messages on the same route step back, so their labels do not pile up.
  for (const earlier of flows.querySelectorAll(
    `[data-from="${origin.app}"][data-flow-kind="${route.kind}"]`,
  )) {
    earlier.classList.add('superseded');
  }
  const group = svg(
    'g',
    {
      class: `flow ${route.kind}`,
      'data-flow-kind': route.kind,
      'data-message': route.name,
      'data-from': origin.app,
      'data-to': route.to.join(','),
      'data-order-id': message.orderId ?? '',
    },
    flows,
  );
  if (route.kind === 'event') {
    svg(
      'circle',
      { class: 'ripple', cx: origin.position.x, cy: origin.position.y, r: VIEW.radius },
      group,
    );
  }
  let labelAt: Point | null = null;
  for (const app of route.to) {
    const target = nodes.get(app);
    if (!target) continue;
    const path = wire(origin.position, target.position, BEND[route.kind]);
    const line = svg(
      'path',
      { class: 'wire', d: path.d, 'data-to': app, 'marker-end': `url(#arrow-${route.kind})` },
      group,
    );
    line.style.setProperty('--length', String(Math.ceil(line.getTotalLength())));
    packet(group, path.d);
    if (route.kind === 'command') labelAt = path.middle;
  }
  if (!labelAt) {
    // An event is named once, beside its publisher, where the fan-out starts.
    const outward = unit({ x: VIEW.width / 2, y: VIEW.height / 2 }, origin.position);
    labelAt = { x: origin.position.x - outward.x * 4, y: origin.position.y - VIEW.radius - 14 };
  }
  const label = svg(
    'text',
    { class: 'label', x: labelAt.x, y: labelAt.y, 'text-anchor': 'middle' },
    group,
  );
  label.textContent = route.name;
  arrive(route.to, route.kind);
  setTimeout(() => group.remove(), FLOW_LIFETIME_MS);
}

function drawNext(): void {
  const message = queue.shift();
  if (!message) {
    drawing = false;
    return;
  }
  drawing = true;
  drawFlow(message);
  setTimeout(drawNext, STAGGER_MS);
}

export function enqueue(message: FlowMessage): void {
  queue.push(message);
  if (queue.length > MAX_QUEUED) queue.splice(0, queue.length - MAX_QUEUED);
  if (!drawing) drawNext();
}

export function count(message: FlowMessage): void {
  const route = routes.get(message.name);
  if (!route) return;
  for (const [apps, side] of [
    [route.from, 'sent'],
    [route.to, 'received'],
  ] as const) {
    for (const app of apps) {
      const node = nodes.get(app);
      if (!node) continue;
      node[side] += 1;
      updateCounts(node);
    }
  }
}
