import { isAlias, visit, type Document, type LineCounter } from 'yaml';
import { InputError } from './input-error.js';

/**
 * Refuse YAML aliases (`*name`) in scenarios and case files. An alias to an anchor that is not
 * defined only failed when the document became values ("internal error: Unresolved alias"), and one
 * that resolved was checked as the alias node itself ("expected a list" at a line holding `*name`).
 * Without aliases every value is written where it applies, so an error names that line.
 */
export function yamlAliasError(doc: Document, lines: LineCounter, file: string): InputError | undefined {
  const anchors = new Set<string>();
  let found: InputError | undefined;
  visit(doc, (_key, node) => {
    if (isAlias(node)) {
      const line = node.range ? lines.linePos(node.range[0]).line : undefined;
      const why = anchors.has(node.source) ? 'aliases are not supported: write the value out' : `no anchor &${node.source} is defined before it`;
      found = new InputError(`YAML alias *${node.source}: ${why}`, { file, line }, 'yaml.alias');
      return visit.BREAK;
    }
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor) anchors.add(anchor);
    return undefined;
  });
  return found;
}
