// parse_xml: a small, strict XML reader producing the dynamic value Kusto documents:
//   <e/> → {e: null};  <e>text</e> → {e: "text"};  attributes → "@name";  text beside attributes or
//   children → "#text";  repeated child elements → arrays.  Only elements, attributes and text count
//   (comments, processing instructions and DOCTYPE are skipped). Malformed XML gives null.
import { bagHas, newBag } from '../../columnar/values';

interface XmlElement {
  name: string;
  attrs: [string, string][];
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[A-Za-z]+);/g, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      try {
        return String.fromCodePoint(code);
      } catch {
        throw new SyntaxError(`bad character reference ${m}`);
      }
    }
    const v = ENTITIES[e];
    if (v === undefined) throw new SyntaxError(`unknown entity ${m}`);
    return v;
  });
}

const NAME = /[A-Za-z_:][\w.:-]*/y;
const ATTR = /\s+([A-Za-z_:][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/y;

/** Parses a document into its root element; throws SyntaxError when malformed. */
function parseDocument(text: string): XmlElement {
  let i = 0;
  const skipMisc = () => {
    for (;;) {
      while (i < text.length && /\s/.test(text[i])) i++;
      if (text.startsWith('<?', i)) {
        const end = text.indexOf('?>', i + 2);
        if (end < 0) throw new SyntaxError('unterminated processing instruction');
        i = end + 2;
      } else if (text.startsWith('<!--', i)) {
        const end = text.indexOf('-->', i + 4);
        if (end < 0) throw new SyntaxError('unterminated comment');
        i = end + 3;
      } else if (text.startsWith('<!DOCTYPE', i)) {
        const end = text.indexOf('>', i);
        if (end < 0) throw new SyntaxError('unterminated DOCTYPE');
        i = end + 1;
      } else {
        return;
      }
    }
  };

  const parseElement = (): XmlElement => {
    if (text[i] !== '<') throw new SyntaxError('expected an element');
    i++;
    NAME.lastIndex = i;
    const name = NAME.exec(text)?.[0];
    if (!name) throw new SyntaxError('expected an element name');
    i += name.length;
    const el: XmlElement = { name, attrs: [], children: [], text: '' };
    for (;;) {
      ATTR.lastIndex = i;
      const m = ATTR.exec(text);
      if (!m) break;
      el.attrs.push([m[1], decodeEntities(m[3] ?? m[4] ?? '')]);
      i = ATTR.lastIndex;
    }
    while (/\s/.test(text[i] ?? '')) i++;
    if (text.startsWith('/>', i)) {
      i += 2;
      return el;
    }
    if (text[i] !== '>') throw new SyntaxError(`malformed start tag <${name}>`);
    i++;
    const texts: string[] = [];
    for (;;) {
      if (i >= text.length) throw new SyntaxError(`unclosed element <${name}>`);
      if (text.startsWith('</', i)) {
        i += 2;
        NAME.lastIndex = i;
        const close = NAME.exec(text)?.[0];
        if (close !== name) throw new SyntaxError(`</${close}> does not close <${name}>`);
        i += close.length;
        while (/\s/.test(text[i] ?? '')) i++;
        if (text[i] !== '>') throw new SyntaxError(`malformed end tag </${name}>`);
        i++;
        el.text = texts.join('').trim();
        return el;
      }
      if (text.startsWith('<![CDATA[', i)) {
        const end = text.indexOf(']]>', i + 9);
        if (end < 0) throw new SyntaxError('unterminated CDATA');
        texts.push(text.slice(i + 9, end));
        i = end + 3;
      } else if (text.startsWith('<!--', i)) {
        const end = text.indexOf('-->', i + 4);
        if (end < 0) throw new SyntaxError('unterminated comment');
        i = end + 3;
      } else if (text.startsWith('<?', i)) {
        const end = text.indexOf('?>', i + 2);
        if (end < 0) throw new SyntaxError('unterminated processing instruction');
        i = end + 2;
      } else if (text[i] === '<') {
        el.children.push(parseElement());
      } else {
        const end = text.indexOf('<', i);
        const raw = text.slice(i, end < 0 ? text.length : end);
        texts.push(decodeEntities(raw));
        i += raw.length;
      }
    }
  };

  skipMisc();
  const root = parseElement();
  skipMisc();
  if (i !== text.length) throw new SyntaxError('content after the root element');
  return root;
}

function toDynamic(el: XmlElement, repeated: WeakSet<unknown[]>): unknown {
  if (el.attrs.length === 0 && el.children.length === 0) return el.text === '' ? null : el.text;
  const out = newBag();
  for (const [k, v] of el.attrs) out['@' + k] = v;
  if (el.text !== '') out['#text'] = el.text;
  for (const child of el.children) {
    const v = toDynamic(child, repeated);
    const prev = out[child.name];
    if (!bagHas(out, child.name)) {
      out[child.name] = v;
    } else if (Array.isArray(prev) && repeated.has(prev)) {
      prev.push(v);
    } else {
      // A repeated element becomes an array (tracked, so a value that is itself an array is not mistaken for one).
      const list = [prev, v];
      repeated.add(list);
      out[child.name] = list;
    }
  }
  return out;
}

const MAX_XML_BYTES = 1_048_576;

/** Kusto's parse_xml(): the document as a dynamic value, or null when it is not well-formed XML. */
export function parseXml(text: string): unknown {
  if (Buffer.byteLength(text, 'utf8') > MAX_XML_BYTES) return null;
  try {
    const root = parseDocument(text);
    const doc = newBag();
    doc[root.name] = toDynamic(root, new WeakSet());
    return doc;
  } catch (e) {
    if (e instanceof SyntaxError) return null;
    throw e;
  }
}
