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
