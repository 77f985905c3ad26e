// The pipeline step a team copies: one `signet deploy` line that signs, pre-flights and deploys.

export interface PipelineHint {
  functionName: string;
  profile: string;
  bucket: string;
  region: string;
}

export function pipelineCommand(hint: PipelineHint): string {
  return [
    'signet deploy',
    `--function ${hint.functionName}`,
    `--package dist/${hint.functionName}.zip`,
    `--profile ${hint.profile}`,
    `--bucket ${hint.bucket}`,
    `--region ${hint.region}`,
    '--publish --alias live --require-enforce',
    `--provenance ${hint.functionName}.provenance.json`,
  ].join(' ');
}
