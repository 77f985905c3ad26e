import type { Framework } from './framework.js';

export const ISO_27001: Framework = {
  id: 'iso-27001-2022',
  name: 'ISO/IEC 27001:2022 Annex A',
  controls: [
    {
      id: 'A.8.32',
      title: 'Change management',
      rationale:
        'Changes to Lambda code must come through the signing pipeline when CSCs enforce signatures; unsigned running code is a change that bypassed it.',
      rules: ['SGN-001', 'SGN-002', 'SGN-004'],
    },
  ],
};
