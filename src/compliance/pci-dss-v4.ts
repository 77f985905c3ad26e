import type { Framework } from './framework.js';

export const PCI_DSS_V4: Framework = {
  id: 'pci-dss-v4.0',
  name: 'PCI DSS v4.0',
  controls: [
    {
      id: '6.3.2',
      title:
        'An inventory of bespoke and custom software, and third-party software components, is maintained',
      rationale:
        'Signed deployments tie every running Lambda package and layer to a signing job and publisher, so the inventory of deployed code is verifiable; unsigned or untrusted code is code whose origin is not inventoried.',
      rules: ['SGN-004', 'SGN-005', 'SGN-006', 'SGN-007'],
    },
    {
      id: '6.4',
      title: 'Public-facing web applications are protected against attacks',
      rationale:
        'Lambda functions behind public endpoints only accept code from trusted publishers when a CSC enforces it, which blocks tampered or unauthorised code from being deployed to them.',
      rules: ['SGN-001', 'SGN-002', 'SGN-003'],
    },
  ],
};
