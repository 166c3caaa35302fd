// A small strict XML 1.0 reader for tests: well-formedness (balanced tags, quoted unique attributes,
// only the five predefined entities or char references, one root), producing an element tree.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.:-]*/;

function decode(s: string, where: number): string {
  return s.replace(/&([^;]*);/g, (m, e: string) => {
    const ents: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (e in ents) return ents[e];
    if (/^#x[0-9a-fA-F]+$/.test(e)) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (/^#[0-9]+$/.test(e)) return String.fromCodePoint(parseInt(e.slice(1), 10));
    throw new Error(`bad entity ${m} near ${where}`);
  });
}

export function parseXml(xml: string): XmlElement {
  let i = 0;
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f]/.test(xml)) throw new Error('control character in XML');
  if (xml.startsWith('<?xml')) i = xml.indexOf('?>') + 2;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    if (xml[i] !== '<') {
      const next = xml.indexOf('<', i);
      const raw = xml.slice(i, next < 0 ? xml.length : next);
      if (raw.includes('>')) throw new Error(`'>' in text near ${i}`);
      if (stack.length) stack[stack.length - 1].text += decode(raw, i);
      else if (raw.trim()) throw new Error(`text outside the root near ${i}`);
      i = next < 0 ? xml.length : next;
      continue;
    }
    if (xml.startsWith('</', i)) {
      const m = NAME.exec(xml.slice(i + 2));
      const top = stack.pop();
      if (!m || !top || top.name !== m[0]) throw new Error(`mismatched close tag near ${i}`);
      i = xml.indexOf('>', i) + 1;
      continue;
    }
    const m = NAME.exec(xml.slice(i + 1));
    if (!m) throw new Error(`bad tag near ${i}`);
    const el: XmlElement = { name: m[0], attrs: {}, children: [], text: '' };
    i += 1 + m[0].length;
    for (;;) {
      const ws = /^\s*/.exec(xml.slice(i))![0].length;
      i += ws;
      if (xml.startsWith('/>', i) || xml[i] === '>') break;
      if (!ws) throw new Error(`attributes must be separated by space near ${i}`);
      const a = /^([A-Za-z_][A-Za-z0-9_.:-]*)="([^"<]*)"/.exec(xml.slice(i));
      if (!a) throw new Error(`bad attribute near ${i}: ${xml.slice(i, i + 30)}`);
      if (a[1] in el.attrs) throw new Error(`duplicate attribute ${a[1]}`);
      el.attrs[a[1]] = decode(a[2], i);
      i += a[0].length;
    }
    if (stack.length) stack[stack.length - 1].children.push(el);
    else if (root) throw new Error('two root elements');
    else root = el;
    if (xml.startsWith('/>', i)) i += 2;
    else {
      i += 1;
      stack.push(el);
    }
  }
  if (stack.length || !root) throw new Error('unclosed elements');
  return root;
}
