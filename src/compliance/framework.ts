// A compliance framework's controls mapped to Signet rule ids. Mappings are Signet's reading of each
// control (which evidence supports it), not an auditor's verdict; each says why it applies.
export interface ControlMapping {
  id: string;
  title: string;
  /** Why these rules are evidence for the control. */
  rationale: string;
  rules: readonly string[];
}

export interface Framework {
  id: string;
  name: string;
  controls: readonly ControlMapping[];
}
