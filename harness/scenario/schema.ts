// A small declarative schema for YAML scenarios and case files, shared by every model. A schema
// says which keys exist, their types, which are required; validation walks the YAML node tree (so
// every error carries the line) and reports the first problem as an InputError naming file, line and
// key path (`instances.k8s-master.interfaces[2].mac`). Reference checks (a route naming an unknown
// interface) are the model's business and run after this, with the same locator.

export type SchemaNode =
  | { kind: 'string'; format?: StringFormat; oneOf?: readonly string[] }
  | { kind: 'int'; min?: number; max?: number }
  | { kind: 'bool' }
  | { kind: 'array'; items: SchemaNode }
  | { kind: 'object'; fields: Record<string, Field>; /** extra keys allowed (validated by `extra`) */ extra?: SchemaNode }
  | { kind: 'map'; values: SchemaNode }
  | { kind: 'oneOf'; options: readonly SchemaNode[]; describe: string }
  | { kind: 'any' };

export interface Field {
  schema: SchemaNode;
  required: boolean;
}

export type StringFormat = 'mac' | 'ip4' | 'ip4-prefix' | 'hex';

const formats: Record<StringFormat, { re: RegExp; what: string }> = {
  mac: { re: /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/, what: 'a MAC address aa:bb:cc:dd:ee:ff' },
  ip4: { re: /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/, what: 'an IPv4 address' },
  'ip4-prefix': {
    re: /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/,
    what: 'an IPv4 prefix a.b.c.d/len',
  },
  hex: { re: /^(0x)?[0-9a-fA-F]+$/, what: 'a hex number' },
};

export function formatMatches(format: StringFormat, v: string): boolean {
  return formats[format].re.test(v);
}
export function formatDescription(format: StringFormat): string {
  return formats[format].what;
}

/** Builders, so schemas read like the YAML they describe. */
export const s = {
  str: (format?: StringFormat): SchemaNode => ({ kind: 'string', format }),
  enumOf: (...oneOf: string[]): SchemaNode => ({ kind: 'string', oneOf }),
  int: (min?: number, max?: number): SchemaNode => ({ kind: 'int', min, max }),
  bool: (): SchemaNode => ({ kind: 'bool' }),
  array: (items: SchemaNode): SchemaNode => ({ kind: 'array', items }),
  map: (values: SchemaNode): SchemaNode => ({ kind: 'map', values }),
  any: (): SchemaNode => ({ kind: 'any' }),
  oneOf: (describe: string, ...options: SchemaNode[]): SchemaNode => ({ kind: 'oneOf', options, describe }),
  /** An object; wrap fields with `req(...)` for required ones, bare schemas are optional. */
  obj: (fields: Record<string, SchemaNode | Field>, extra?: SchemaNode): SchemaNode => ({
    kind: 'object',
    fields: Object.fromEntries(
      Object.entries(fields).map(([k, f]) => [k, 'required' in f && 'schema' in f ? f : { schema: f, required: false }]),
    ),
    extra,
  }),
  req: (schema: SchemaNode): Field => ({ schema, required: true }),
};

/** One-line description of what a schema expects, for "wrong type" messages. */
export function describe(schema: SchemaNode): string {
  switch (schema.kind) {
    case 'string':
      if (schema.oneOf) return `one of ${schema.oneOf.join(', ')}`;
      return schema.format ? formatDescription(schema.format) : 'a string';
    case 'int':
      return 'an integer' + (schema.min !== undefined || schema.max !== undefined ? ` in [${schema.min ?? '-inf'}, ${schema.max ?? 'inf'}]` : '');
    case 'bool':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
    case 'map':
      return 'a mapping';
    case 'oneOf':
      return schema.describe;
    case 'any':
      return 'anything';
  }
}
