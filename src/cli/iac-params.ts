// `signet iac --param/--param-file/--config-env` into one map of deploy-time values: files in the order
// given (later wins), then --param pairs (which win over files, like `-var` over `-var-file`).
import { type IacParams, loadParamFile, type ParamValue, parseParamAssignment } from '../iac/params.js';

export function loadIacParams(
  files: readonly string[],
  pairs: readonly string[],
  configEnv: string,
): IacParams {
  const params = new Map<string, ParamValue>();
  for (const file of files) for (const [k, v] of loadParamFile(file, configEnv)) params.set(k, v);
  for (const pair of pairs) {
    const [name, value] = parseParamAssignment(pair);
    params.set(name, { value, source: '--param' });
  }
  return params;
}
