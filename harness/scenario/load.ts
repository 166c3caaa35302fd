// Load a YAML document keeping line numbers, validate it against a declarative schema, and hand back
// plain values plus a locator that turns a key path into a line (for the reference checks a model
// runs afterwards). Every problem is one InputError: file, line, key path, reason.

import { readYamlBytes } from './yaml-size.js';
import { systemErrorReason } from '../cli/guard.js';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { InputError } from '../io/input-error.js';
import { decodeUtf8 } from '../io/utf8-text.js';
import { yamlAliasError } from '../io/yaml-aliases.js';
import { describe, formatMatches, type SchemaNode } from './schema.js';

export interface LoadedYaml<T = unknown> {
  file: string;
  value: T;
  /** 1-based line of the node at a key path (`a.b[2].c`), or of its nearest existing ancestor. */
  lineOf(path: string): number | undefined;
  /** Throw an InputError at a key path. */
  fail(reason: string, path: string, code?: string): never;
}

type PathPart = string | number;

function joinPath(parts: PathPart[]): string {
  let out = '';
  for (const p of parts) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

function splitPath(path: string): PathPart[] {
  const parts: PathPart[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) parts.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return parts;
}

/** Parse YAML text; syntax errors become InputErrors with the line. */
export function parseYaml<T = unknown>(text: string, file: string, schema?: SchemaNode): LoadedYaml<T> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const lineAt = (n: YamlNode | null | undefined): number | undefined =>
    n?.range ? lineCounter.linePos(n.range[0]).line : undefined;
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    // The parser's first line ends in ' at line N, column M:' (its code snippet followed): the line
    // is already in the location, and the dangling colon read as if the reason were cut off.
    throw new InputError(`YAML syntax: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`, { file, line: e.linePos?.[0]?.line }, 'scenario.syntax');
  }
  const alias = yamlAliasError(doc, lineCounter, file);
  if (alias) throw alias;
  const fail = (reason: string, parts: PathPart[] | string, node?: YamlNode | null, code = 'scenario.invalid'): never => {
    const key = typeof parts === 'string' ? parts : joinPath(parts);
    throw new InputError(reason, { file, line: lineAt(node ?? undefined) ?? locate(key), key: key || undefined }, code);
  };
  const locate = (path: string): number | undefined => {
    let node: unknown = doc.contents;
    let line = lineAt(node as YamlNode);
    for (const part of splitPath(path)) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(part));
        if (!pair) break;
        line = lineAt(pair.key as YamlNode) ?? line;
        node = pair.value;
      } else if (isSeq(node) && typeof part === 'number') {
        node = node.items[part];
        line = lineAt(node as YamlNode) ?? line;
      } else break;
    }
    return line;
  };
  if (schema) validate(doc.contents as YamlNode | null, schema, [], fail);
  return {
    file,
    value: doc.toJS({ maxAliasCount: 100 }) as T,
    lineOf: locate,
    fail: (reason, path, code) => fail(reason, path, undefined, code),
  };
}

/** Read and parse a YAML file; a missing file is an InputError too. */
export function loadYaml<T = unknown>(path: string, schema?: SchemaNode): LoadedYaml<T> {
  let bytes: Uint8Array;
  try {
    bytes = readYamlBytes(path);
  } catch (e) {
    if (e instanceof InputError) throw e;
    // In the words every other file the OS refused gets (cli/guard.ts systemErrorLine): `s.yaml: no
    // such file or directory (ENOENT, open)`, not `s.yaml: cannot read: ENOENT`.
    throw new InputError(systemErrorReason(e, path), { file: path }, 'scenario.read');
  }
  return parseYaml<T>(decodeUtf8(bytes, path), path, schema);
}

type Fail = (reason: string, parts: PathPart[], node?: YamlNode | null, code?: string) => never;

function validate(node: YamlNode | null, schema: SchemaNode, path: PathPart[], fail: Fail): void {
  const wrong = (): never => fail(`expected ${describe(schema)}`, path, node, 'scenario.type');
  switch (schema.kind) {
    case 'any':
      return;
    case 'string': {
      if (!isScalar(node) || (typeof node.value !== 'string' && typeof node.value !== 'number')) return wrong();
      const v = String(node.value);
      if (schema.format && !formatMatches(schema.format, v)) return wrong();
      if (schema.oneOf && !schema.oneOf.includes(v)) return wrong();
      return;
    }
    case 'int': {
      if (!isScalar(node) || typeof node.value !== 'number' || !Number.isInteger(node.value)) return wrong();
      if ((schema.min !== undefined && node.value < schema.min) || (schema.max !== undefined && node.value > schema.max)) return wrong();
      // 99999999999999999999 reads as 1e20, a number no index or counter holds; it was accepted and
      // printed as 100000000000000000000 where the dataplane prints a u32.
      if (!Number.isSafeInteger(node.value)) return fail(`expected ${describe(schema)}; ${String(node.source ?? node.value)} is past the largest integer held exactly (2^53 - 1)`, path, node, 'scenario.type');
      return;
    }
    case 'bool':
      if (!isScalar(node) || typeof node.value !== 'boolean') wrong();
      return;
    case 'array':
      if (!isSeq(node)) return wrong();
      node.items.forEach((item, i) => validate(item as YamlNode, schema.items, [...path, i], fail));
      return;
    case 'map':
      if (!isMap(node)) return wrong();
      for (const pair of node.items) validate(pair.value as YamlNode, schema.values, [...path, String((pair.key as { value?: unknown })?.value)], fail);
      return;
    case 'oneOf': {
      for (const option of schema.options) {
        try {
          validate(node, option, path, fail);
          return;
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
        }
      }
      return wrong();
    }
    case 'object': {
      if (!isMap(node)) return wrong();
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '?';
        seen.add(key);
        const field = schema.fields[key];
        if (field) validate(pair.value as YamlNode, field.schema, [...path, key], fail);
        else if (schema.extra) validate(pair.value as YamlNode, schema.extra, [...path, key], fail);
        else
          fail(
            `unknown key '${key}' (known: ${Object.keys(schema.fields).join(', ')})`,
            [...path, key],
            pair.key as YamlNode,
            'scenario.unknown-key',
          );
      }
      for (const [key, field] of Object.entries(schema.fields))
        if (field.required && !seen.has(key)) fail(`missing required key '${key}'`, [...path, key], node, 'scenario.missing-key');
      return;
    }
  }
}
