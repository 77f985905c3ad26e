import type { Framework } from './framework.js';

export const SOC2: Framework = {
  id: 'soc2-2017',
  name: 'SOC 2 (2017 Trust Services Criteria)',
  controls: [
    {
      id: 'CC8.1',
      title:
        'Changes to infrastructure and software are authorized, designed, tested, approved and implemented',
      rationale:
        'An enforcing CSC lets only packages signed by the release pipeline’s profile deploy, so every code change passed the pipeline; findings show where changes could bypass it.',
      rules: ['SGN-001', 'SGN-002', 'SGN-003', 'SGN-004', 'SGN-005'],
    },
  ],
};
