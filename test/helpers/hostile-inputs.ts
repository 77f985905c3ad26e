// Generators of hostile IaC inputs (issue 8), shared by the tests: built at run time, never committed.

/** `levels` anchors, each a list of `width` aliases to the previous one: width^levels nodes as a tree. */
export function aliasBomb(levels: number, width = 9): string {
  let y = `a0: &a0 [${Array(width).fill('x').join(', ')}]\n`;
  for (let i = 1; i < levels; i++)
    y += `a${i}: &a${i} [${Array(width)
      .fill(`*a${i - 1}`)
      .join(', ')}]\n`;
  return `${y}Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Code: { ZipFile: x }\n      Tags: *a${levels - 1}\n`;
}

/** A Terraform function whose CSC comes from `expr`, for hostile expressions. */
export function tfFunction(expr: string): string {
  return `resource "aws_lambda_function" "f" {\n  function_name = "f"\n  code_signing_config_arn = ${expr}\n}\n`;
}

/** `n` locals, each concat(local.l(i-1), local.l(i-1)): 2^n elements if evaluated naively. */
export function doublingLocals(n: number): string {
  let tf = 'locals {\n  l0 = ["x"]\n';
  for (let i = 1; i <= n; i++) tf += `  l${i} = concat(local.l${i - 1}, local.l${i - 1})\n`;
  return `${tf}}\n${tfFunction(`local.l${n}[0]`)}`;
}

/** `depth` nested `dynamic` blocks. */
export function nestedDynamicBlocks(depth: number): string {
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    open += `dynamic "d${i}" {\nfor_each = []\ncontent {\n`;
    close += '}\n}\n';
  }
  return `resource "aws_lambda_function" "deep" {\n${open}${close}}\n`;
}

/** Serverless `${self:custom.aN}` chains: each level refers to the previous one `width` times. */
export function serverlessChain(levels: number, width = 3): string {
  let custom = '  a0: x\n';
  for (let i = 1; i <= levels; i++)
    custom += `  a${i}: "${Array(width)
      .fill(`\${self:custom.a${i - 1}}`)
      .join('-')}"\n`;
  return `service: chain\nprovider:\n  name: aws\n  runtime: nodejs20.x\ncustom:\n${custom}functions:\n  fn:\n    handler: h.h\n    name: \${self:custom.a${levels}}\n`;
}
