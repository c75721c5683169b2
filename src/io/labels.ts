/**
 * Column labels for plain column files, following Larch's read_ascii conventions
 * (larch.io.columnfile / xafs_beamlines / utils.strutils.fix_varname): the last header line
 * gives the labels, which are lower-cased and turned into identifiers; beamline-specific
 * headers (Epics scan, XDAC, SSRL, MRCAT) name the columns their own way.
 */

/** Characters Larch's fix_varname replaces by '_'. */
const BAD_VARCHARS = new Set(';~,`!%$@$&^?*#:"/|\'\\\t\r\n (){}[]<>=+-.'.split(''));

/** Larch's fix_varname: bad characters to '_', a leading '_' unless it starts with a letter or '_', no trailing '_'. */
export function fixVarname(s: string): string {
  let t = '';
  for (const ch of s) t += BAD_VARCHARS.has(ch) ? '_' : ch;
  if (t.length < 1) t = '_unlabeled_';
  if (!/^[A-Za-z_]/.test(t)) t = `_${t}`;
  while (t.endsWith('_')) t = t.slice(0, -1);
  return t;
}

/** Larch's GenericBeamlineData._set_labels: lower-case, fix_varname, 'colN' for blanks, '_colN' for repeats. */
function setLabels(words: string[]): string[] {
  const labels: string[] = [];
  words.forEach((w, i) => {
    const word = w.trim().toLowerCase();
    labels.push(word.length > 0 ? fixVarname(word) : `col${i + 1}`);
  });
  for (let i = 0; i < labels.length; i++) {
    if (labels.slice(0, i).includes(labels[i])) labels[i] = `${labels[i]}_col${i + 1}`;
  }
  return labels;
}

/**
 * Larch's set_array_labels: pad with 'colN' or truncate to the number of columns, and
 * rename labels that repeat or clash with Larch's reserved group names.
 */
export function finalizeLabels(labels: string[], ncols: number): string[] {
  const t = labels.slice(0, ncols);
  for (let i = t.length; i < ncols; i++) t.push(`col${i + 1}`);
  const reserved = ['data', 'array_labels', 'filename', 'attrs', 'header', 'footer'];
  const out: string[] = [];
  for (let i = 0; i < ncols; i++) {
    let name = t[i];
    if (reserved.includes(name) || out.includes(name)) {
      name = `${t[i]}_a`;
      for (let j = 1; out.includes(name) && j < 26; j++) name = `${t[i]}_${String.fromCharCode(97 + j)}`;
      if (out.includes(name)) name = `col${i + 1}`;
    }
    out.push(name);
  }
  return out;
}

/** Labels from the last header line, as Larch's generic reader does. */
export function genericLabels(header: string[]): string[] {
  let last = header.length > 1 ? header[header.length - 1].trim() : '# ';
  for (const prefix of ['#L', '#C', '#', 'C']) if (last.startsWith(prefix)) last = last.slice(prefix.length);
  for (const bad of '\t,#@%&"\'') last = last.split(bad).join(' ');
  const words = header.length < 2 ? last.split(' ') : last.split(/\s+/).filter((w) => w.length > 0);
  return setLabels(words);
}

/** Which of Larch's beamline label conventions a header follows (xafs_beamlines.guess_beamline). */
export function guessHeaderStyle(header: string[]): string {
  if (header.length > 1) {
    let line1 = header[0].toLowerCase();
    const full = header.join('\n').toLowerCase();
    if (line1.startsWith('#')) line1 = line1.replace(/#/g, '');
    if (line1.includes('xdi/1') && line1.includes('epics stepscan')) return 'gse-xdi';
    if (line1.startsWith('; epics scan 1 dim')) return 'gse-epics';
    if (line1.includes('mrcat_xafs')) return 'mrcat';
    if (line1.startsWith('xdac')) return 'xdac';
    if (line1.includes('ssrl') && line1.includes('exafs data collector')) return 'ssrl';
    if (full.includes('exafsscan') && full.includes('exafs_region')) return 'aps12bm';
  }
  return 'generic';
}

/** Labels for an Epics scan file: the '; Pn = {Label} --> PV' legend. */
function epicsLabels(header: string[]): string[] {
  const labels: string[] = [];
  let mode = 'search';
  for (const raw of header) {
    const line = raw.slice(1).trim();
    if (mode === 'found') {
      if (line.length < 2 || !line.includes('-->')) break;
      const pref = line.split('-->')[0];
      const eq = pref.indexOf('=');
      labels.push(
        pref
          .slice(eq + 1)
          .replace(/[{}]/g, '')
          .trim(),
      );
    } else if (line.includes('column labels:')) mode = 'found';
  }
  return setLabels(labels);
}

/** Labels for XDAC and MRCAT files: the line after the row of dashes. */
function afterDashesLabels(header: string[]): string[] {
  for (let i = 0; i < header.length - 1; i++) {
    if (header[i].includes('-------')) return setLabels(header[i + 1].trim().split(/\s+/));
  }
  return [];
}

/** Labels for SSRL EXAFS Data Collector files: the lines after 'Data:'. */
function ssrlLabels(header: string[]): string[] {
  const labels: string[] = [];
  let found = false;
  for (const raw of header) {
    const line = raw.trim();
    if (found) {
      if (line.length < 2) break;
      labels.push(line);
    } else if (line === 'Data:') found = true;
  }
  return setLabels(labels);
}

/** Labels for GSE XDI-like StepScan files: 'Column.N: label ... || PV' lines. */
function gseXdiLabels(header: string[]): string[] {
  const labels: string[] = [];
  for (const raw of header) {
    if (!raw.startsWith('#')) break;
    const line = raw.slice(1).trim();
    if (line.toLowerCase().startsWith('column.') && line.includes('||')) {
      const entry = line.split('||')[0].split(':')[1]?.trim() ?? '';
      labels.push(entry.split(/\s+/)[0]);
    }
  }
  return setLabels(labels);
}

/**
 * Column labels from header lines, as Larch's read_ascii would name them (before
 * finalizeLabels). Returns [] when the header gives none.
 */
export function larchLabels(header: string[]): string[] {
  switch (guessHeaderStyle(header)) {
    case 'gse-epics':
      return epicsLabels(header);
    case 'gse-xdi':
      return gseXdiLabels(header);
    case 'xdac':
    case 'mrcat':
      return afterDashesLabels(header);
    case 'ssrl':
      return ssrlLabels(header);
    default:
      return genericLabels(header);
  }
}
