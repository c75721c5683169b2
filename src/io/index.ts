/** Readers and writers for XAS data files: XDI, column text, Athena projects, NeXus/HDF5. */

export * from '../core/edges.js';
export { type AsciiReadOptions, readAscii } from './ascii.js';
export { readAthena } from './athena.js';
export {
  type AthenaProject,
  type AthenaRecord,
  parseAthenaProject,
  storedParamsOf,
} from './athena-project.js';
export {
  type ColumnChoice,
  type ColumnTable,
  PLANCK_HC_EV_ANGSTROM,
  type ResolvedSpectrum,
  resolveSpectra,
} from './choose-mu.js';
export {
  type ColumnsWriteOptions,
  formatColumns,
  formatSpectrumColumns,
  writeColumns,
  writeCsv,
} from './columns-write.js';
export { formatSpectrumJson, spectrumToPlain, writeSpectrumJson } from './json-write.js';
export { fixVarname } from './labels.js';
export { parseTemperatureK } from './meta.js';
export { type MuExpression, parseMuExpression } from './mu-expression.js';
export { muFluorescence, muReference, muTransmission } from './mu-from-channels.js';
export { hdf5Ready, initHdf5, readNexus, readNexusSync } from './nexus.js';
export { parseDecimal } from './numbers.js';
export {
  detectFormat,
  type FileFormat,
  type ReadOptions,
  readSpectra,
  readSpectraSync,
  readSpectrum,
  readSpectrumSync,
  selectRecord,
} from './read.js';
export { readXdi, type XdiReadOptions } from './xdi.js';
export { formatXdi, writeXdi, type XdiWriteOptions } from './xdi-write.js';
