/**
 * Writes the shipped potential tables under potentials/ from their published analytic forms:
 *   potentials/Ni_Zhou2004.eam.alloy  (Zhou, Johnson, Wadley, PRB 69, 144113 (2004); setfl)
 * Run: node --import tsx tools/md/write-potentials.ts
 */
import { writeEamFile } from '../../src/md/potential/eam-file.js';
import { ZHOU2004_NI, zhou2004Tables } from '../../src/md/potential/zhou2004.js';

const path = 'potentials/Ni_Zhou2004.eam.alloy';
writeEamFile(path, zhou2004Tables(ZHOU2004_NI));
console.log(`wrote ${path}`);
