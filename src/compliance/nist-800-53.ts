import type { Framework } from './framework.js';

export const NIST_800_53: Framework = {
  id: 'nist-800-53-r5',
  name: 'NIST SP 800-53 Rev. 5',
  controls: [
    {
      id: 'SI-7',
      title: 'Software, Firmware, and Information Integrity',
      rationale:
        'Lambda verifies package signatures at deploy time; these rules show that verification is configured, enforced, uses trusted publishers, and that running code passed it.',
      rules: ['SGN-001', 'SGN-002', 'SGN-003', 'SGN-004', 'SGN-005', 'SGN-006', 'SGN-007'],
    },
    {
      id: 'CM-14',
      title: 'Signed Components',
      rationale:
        'Prevents installation of software components that are not signed with a certificate from an approved source: an Enforce CSC with trusted publishers, signed layers, and well-kept signing profiles.',
      rules: ['SGN-001', 'SGN-002', 'SGN-003', 'SGN-006', 'SGN-008'],
    },
  ],
};
