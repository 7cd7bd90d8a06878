/**
 * open.auth.token.app's answer to a bad code or token, field for field in the order SOP's gateway sends it
 * (docs/platforms/sop.md#openauthtokenapp). The auth service returns its FetchTokenResult, whose `expires_in`
 * and `re_expires_in` default to -1 and so come on an error too; Jackson writes it with its nulls. The gateway
 * reads that text into a fastjson JSONObject, which is a HashMap, adds `code` and `msg`, and writes the map
 * back without the nulls (BaseExecutorAdapter.mergeResult): the order is the HashMap's, by each name's
 * String.hashCode in a 16-bucket table, `re_expires_in` before `error_description` in their shared bucket
 * because Jackson wrote it first. The node text is what the answer's signature covers, so the order is kept
 * exactly.
 */
export function tokenErrorNode(error: string, description: string): Record<string, unknown> {
  return { msg: 'Success', code: '10000', re_expires_in: -1, error_description: description, error, expires_in: -1 };
}
