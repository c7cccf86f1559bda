import { isMap, isSeq, parseDocument, type Document, type YAMLMap, type YAMLSeq } from 'yaml';
import { GeneratorError } from '../names.js';

/**
 * The YAML version each tool reads: Kubernetes (sigs.k8s.io/yaml) reads 1.1,
 * where `0555` is octal; Compose and Prometheus read 1.2, where `.` is a string.
 */
export type YamlVersion = '1.1' | '1.2';

/** Edits a YAML file through its document model: comments, anchors and layout are kept. */
export function editYaml(
  path: string,
  text: string,
  edit: (document: Document) => void,
  version: YamlVersion = '1.2',
): string {
  const document = parseDocument(text, { version });
  if (document.errors.length > 0)
    throw new GeneratorError(`${path}: not valid YAML: ${document.errors[0]?.message}`);
  edit(document);
  return document.toString({ lineWidth: 0 });
}

export function mapAt(document: Document, path: readonly string[], file: string): YAMLMap {
  const node = path.length === 0 ? document.contents : document.getIn(path, true);
  if (!isMap(node))
    throw new GeneratorError(`${file}: ${path.join('.') || 'the document'} is not a map`);
  return node as YAMLMap;
}

export function seqAt(
  document: Document,
  path: readonly (string | number)[],
  file: string,
): YAMLSeq {
  const node = document.getIn(path, true);
  if (!isSeq(node)) throw new GeneratorError(`${file}: ${path.join('.')} is not a list`);
  return node as YAMLSeq;
}

/** Adds `key: value` right after `after` (the map's end when absent), so related keys stay together. */
export function insertAfterKey(
  document: Document,
  map: YAMLMap,
  after: string | undefined,
  key: string,
  value: unknown,
): void {
  const pair = document.createPair(key, value);
  const index = map.items.findIndex(
    (item) => String((item.key as { value?: unknown })?.value) === after,
  );
  map.items.splice(index === -1 ? map.items.length : index + 1, 0, pair);
}

/** Adds an item right after the last item `isPeer` accepts, or at the end. */
export function insertAfterLast(
  document: Document,
  seq: YAMLSeq,
  isPeer: (item: unknown) => boolean,
  value: unknown,
): void {
  const items = seq.items.map((item) => (item as { toJSON?: () => unknown }).toJSON?.() ?? item);
  let index = seq.items.length;
  for (let i = items.length - 1; i >= 0; i -= 1) {
    if (isPeer(items[i])) {
      index = i + 1;
      break;
    }
  }
  seq.items.splice(index, 0, document.createNode(value));
}

/** The key of the last pair `isPeer` accepts. */
export function lastKeyWhere(map: YAMLMap, isPeer: (key: string) => boolean): string | undefined {
  const keys = map.items.map((item) => String((item.key as { value?: unknown })?.value));
  return keys.filter(isPeer).at(-1);
}
