// Pre-flight: before any write, decide from the function's code signing config and the signature's
// profile whether AWS would (or should) accept the deployment. Pure: the deploy command gathers the facts.

export interface CscFacts {
  arn: string;
  policy: 'Warn' | 'Enforce' | string;
  allowedProfileVersionArns: string[];
}

export interface PreflightFacts {
  /** `function NAME` or `layer NAME → function NAME`, for the messages. */
  subject: string;
  /** undefined = the function has no code signing config. */
  csc: CscFacts | undefined;
  profileVersionArn: string;
  profileStatus: string;
  /** Revoked signature (job) or revoked profile version, as verify-artifact found them. */
  revoked?: string;
  requireEnforce: boolean;
}

export interface PreflightResult {
  /** Reasons to refuse (exit 2); empty = go. */
  problems: string[];
  /** Worth saying, not worth refusing. */
  warnings: string[];
}

export function preflight(facts: PreflightFacts): PreflightResult {
  const problems: string[] = [];
  const warnings: string[] = [];
  const { subject, csc } = facts;
  if (facts.profileStatus !== 'Active') {
    problems.push(
      `the signing profile version ${facts.profileVersionArn} is ${facts.profileStatus}: sign with an Active profile`,
    );
  }
  if (facts.revoked) problems.push(`the signature is revoked (${facts.revoked}): sign the package again`);
  if (!csc) {
    if (facts.requireEnforce)
      problems.push(
        `${subject} has no code signing config, and --require-enforce was given: attach a CSC in Enforce mode first`,
      );
    else warnings.push(`${subject} has no code signing config: Lambda will not check this signature`);
    return { problems, warnings };
  }
  if (!csc.allowedProfileVersionArns.includes(facts.profileVersionArn)) {
    problems.push(
      `the signing profile version ${facts.profileVersionArn} is not among the allowed publishers of ${subject}'s code signing config ${csc.arn} (${csc.allowedProfileVersionArns.join(', ') || 'none'}): sign with an allowed profile or ask the CSC's owner to add it`,
    );
  }
  if (csc.policy !== 'Enforce') {
    if (facts.requireEnforce)
      problems.push(
        `${subject}'s code signing config ${csc.arn} is in ${csc.policy} mode, and --require-enforce was given: switch it to Enforce`,
      );
    else
      warnings.push(
        `${subject}'s code signing config ${csc.arn} is in ${csc.policy} mode: Lambda only warns about bad signatures`,
      );
  }
  return { problems, warnings };
}
