// Every compliance framework Signet maps its rules to (one file each).
import type { Framework } from './framework.js';
import { HIPAA } from './hipaa.js';
import { ISO_27001 } from './iso-27001.js';
import { NIST_800_53 } from './nist-800-53.js';
import { PCI_DSS_V4 } from './pci-dss-v4.js';
import { SOC2 } from './soc2.js';

export const FRAMEWORKS: readonly Framework[] = [PCI_DSS_V4, HIPAA, SOC2, NIST_800_53, ISO_27001];

export type { ControlMapping, Framework } from './framework.js';
