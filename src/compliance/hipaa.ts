import type { Framework } from './framework.js';

export const HIPAA: Framework = {
  id: 'hipaa-security-rule',
  name: 'HIPAA Security Rule',
  controls: [
    {
      id: '164.312(c)(1)',
      title:
        'Integrity: protect electronic protected health information from improper alteration or destruction',
      rationale:
        'Code that processes ePHI can alter it; enforcing code signing ensures only code from trusted publishers runs, and detects code that was deployed unverified.',
      rules: ['SGN-001', 'SGN-002', 'SGN-003', 'SGN-004', 'SGN-005', 'SGN-006', 'SGN-007'],
    },
  ],
};
