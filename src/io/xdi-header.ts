/**
 * Lexical structure of an XDI 1.0 file (XAS Data Interchange specification, XDI working
 * group, version 1.0): version line, `Namespace.tag: value` fields, the field-end line
 * (`# ///`), user comments, the header-end line (`#----`), the column-label line and the
 * data section, with each deviation reported as an issue carrying its line number.
 */

export type IssueLevel = 'error' | 'warning';

export interface XdiIssue {
  level: IssueLevel;
  /** 1-based line number, when the issue is tied to a line. */
  line?: number;
  field?: string;
  message: string;
}

export interface XdiField {
  namespace: string;
  tag: string;
  value: string;
  line: number;
}

export interface XdiHeader {
  version: string;
  extraVersions: string[];
  fields: XdiField[];
  comments: string[];
  hasFieldEnd: boolean;
  hasHeaderEnd: boolean;
  /** Column-label line (words) and its line number. */
  labelLine?: { labels: string[]; line: number };
  /** Index (0-based) of the first line of the data section. */
  dataStart: number;
  issues: XdiIssue[];
}

const NAMESPACE_RE = /^[A-Za-z][A-Za-z0-9_-]*$/;
const TAG_RE = /^[A-Za-z0-9_-]+$/;

/** True when the line (trimmed) is a row that starts like numeric data. */
function looksLikeData(line: string): boolean {
  const c = line.charCodeAt(0);
  return (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46;
}

function parseField(text: string, lineNo: number, issues: XdiIssue[]): XdiField | undefined {
  const colon = text.indexOf(':');
  const err = (message: string, field?: string) => {
    issues.push({ level: 'error', line: lineNo, field, message });
    return undefined;
  };
  if (colon < 0) {
    return err(`header line '${text}' is not a field: no ':' (expected 'Namespace.tag: value')`);
  }
  const name = text.slice(0, colon).trim();
  const value = text.slice(colon + 1).trim();
  if (!name.includes('.')) {
    const second = /^([A-Za-z0-9_-]+)\s*:/.exec(value);
    if (second) {
      return err(
        `field name '${name}:${second[1]}' uses ':' where '.' belongs (expected 'Namespace.tag: value')`,
      );
    }
    if (/\s/.test(name))
      return err(`field name '${name}' contains white space and no '.' (expected 'Namespace.tag')`);
    return err(`field name '${name}' has no '.' (expected 'Namespace.tag')`);
  }
  const parts = name.split('.');
  if (parts.length > 2)
    return err(`field name '${name}' has more than one '.' (expected exactly 'Namespace.tag')`);
  const [ns, tag] = parts;
  if (/\s/.test(name)) return err(`field name '${name}' contains white space (expected 'Namespace.tag')`);
  if (!NAMESPACE_RE.test(ns)) {
    const why = /^[0-9]/.test(ns)
      ? 'begins with a digit'
      : /^[_-]/.test(ns)
        ? `begins with '${ns[0]}'`
        : 'has characters other than letters, digits, _ and -';
    return err(`namespace '${ns}' ${why}; a namespace must begin with a letter`, name);
  }
  if (!TAG_RE.test(tag)) {
    return err(`tag '${tag}' in '${name}' must consist of letters, digits, '_' or '-'`, name);
  }
  if (/^[0-9]/.test(tag) && ns.toLowerCase() !== 'column') {
    issues.push({
      level: 'warning',
      line: lineNo,
      field: name,
      message: `tag '${tag}' begins with a digit (legal in XDI 1.0 but not an identifier in most analysis programs)`,
    });
  }
  if (value === '') {
    return err(`field '${name}' has no value (expected 'Namespace.tag: value')`, name);
  }
  return { namespace: ns, tag, value, line: lineNo };
}

/** Parses the header of an XDI file given as lines. */
export function parseXdiHeader(lines: readonly string[]): XdiHeader {
  const issues: XdiIssue[] = [];
  const header: XdiHeader = {
    version: '',
    extraVersions: [],
    fields: [],
    comments: [],
    hasFieldEnd: false,
    hasHeaderEnd: false,
    dataStart: lines.length,
    issues,
  };
  const first = lines[0]?.trim() ?? '';
  const vm = /^#\s*XDI\/(\d+\.\d+(?:\.\d+)?)(?:\s+(.*))?$/i.exec(first);
  if (!vm) {
    issues.push({
      level: 'error',
      line: 1,
      message: `first line '${first.slice(0, 60)}' is not an XDI version line (expected '# XDI/1.0' followed by optional application versions)`,
    });
    return header;
  }
  header.version = vm[1];
  header.extraVersions = (vm[2] ?? '').split(/\s+/).filter((w) => w.length > 0);

  let state: 'fields' | 'comments' | 'labels' = 'fields';
  let labelCandidate: { text: string; line: number } | undefined;
  let i = 1;
  for (; i < lines.length; i++) {
    const raw = lines[i];
    const line = raw.trim();
    const lineNo = i + 1;
    if (line.length === 0) continue;
    if (line[0] !== '#') {
      if (looksLikeData(line)) break;
      issues.push({
        level: 'error',
        line: lineNo,
        message: `header line begins with the unsupported comment character '${line[0]}'; XDI header lines must begin with '#'`,
      });
      continue;
    }
    const body = line.slice(1).trim();
    if (state !== 'labels' && /^\/{3,}/.test(body)) {
      if (header.hasFieldEnd)
        issues.push({ level: 'warning', line: lineNo, message: 'second field-end line (# ///)' });
      header.hasFieldEnd = true;
      state = 'comments';
      continue;
    }
    if (state !== 'labels' && /^-{3,}/.test(body)) {
      header.hasHeaderEnd = true;
      state = 'labels';
      continue;
    }
    if (state === 'fields') {
      if (body.length === 0) continue;
      const f = parseField(body, lineNo, issues);
      if (f) header.fields.push(f);
    } else if (state === 'comments') {
      // keep interior white space; drop one leading space and trailing white space
      let c = raw.replace(/\s+$/, '').replace(/^\s*#/, '');
      if (c.startsWith(' ')) c = c.slice(1);
      header.comments.push(c);
    } else {
      if (labelCandidate && labelCandidate.text.length > 0) {
        issues.push({
          level: 'warning',
          line: labelCandidate.line,
          message:
            'more than one line between the header-end line and the data; the last one is taken as the column labels',
        });
      }
      labelCandidate = { text: body, line: lineNo };
    }
  }
  header.dataStart = i;
  if (!header.hasHeaderEnd) {
    issues.push({
      level: 'error',
      line: i < lines.length ? i + 1 : undefined,
      message: "no header-end line ('#----') between the header and the data",
    });
  } else if (!header.hasFieldEnd) {
    issues.push({
      level: 'warning',
      message: "no field-end line ('# ///') after the header fields, so no user-comment section",
    });
  } else if (header.comments.every((c) => c.trim() === '')) {
    issues.push({
      level: 'warning',
      message: "field-end line ('# ///') present but no user comments follow",
    });
  }
  if (labelCandidate && labelCandidate.text.length > 0) {
    header.labelLine = { labels: labelCandidate.text.split(/\s+/), line: labelCandidate.line };
  }
  return header;
}
